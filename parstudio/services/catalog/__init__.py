"""The catalogue: items, suppliers, locations and their PAR settings."""
