"""What every page uses: table models, formatting, background work, errors, undo."""
