"""Ui layer of PAR Studio."""
