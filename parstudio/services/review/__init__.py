"""The PAR review: usage, seasons, suggestions, charts, the quarterly review."""
