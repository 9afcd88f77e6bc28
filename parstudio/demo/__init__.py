"""The demo department and the large generated one: data for trying and measuring."""
