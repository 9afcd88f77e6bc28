"""The Proposal and Orders screens."""
