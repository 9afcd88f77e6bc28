"""Reports layer of PAR Studio."""
