"""The Review page, the PAR calculator, seasons and the quarterly report."""
