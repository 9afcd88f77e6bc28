"""Importing and exporting worksheets from the File menu."""
