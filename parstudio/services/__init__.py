"""Services layer of PAR Studio."""
