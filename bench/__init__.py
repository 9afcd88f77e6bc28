"""PAR Studio benchmarks: each scenario against the bare library doing the same work."""
