"""Domain layer of PAR Studio."""
