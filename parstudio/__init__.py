"""PAR Studio: periodic automatic replenishment for a department supply office."""

__version__ = "0.1.0"
