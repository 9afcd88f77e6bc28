"""Administration screens: user accounts and the audit log."""
