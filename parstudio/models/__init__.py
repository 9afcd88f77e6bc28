"""Models layer of PAR Studio."""
