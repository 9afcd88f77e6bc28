"""Counting: counts, scans, unknown barcodes, undo, the offline scan journal."""
