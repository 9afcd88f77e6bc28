"""The Expiry page, recalls and recording waste."""
