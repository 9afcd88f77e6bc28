"""Administration: user accounts, sign-in, and backups."""
