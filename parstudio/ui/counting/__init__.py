"""Counting screens: the Count page, count screen, scanning station, scanner."""
