"""Catalogue screens: items, suppliers, locations and the PAR settings grid."""
