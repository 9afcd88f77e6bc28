"""Expiry: lots on hand expiring soon, recalls, and stock thrown away."""
