"""The Cases page: items scanned as used on a patient case."""
