"""Opening databases, the unit of work, the write guard, audit, credentials."""
