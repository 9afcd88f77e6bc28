"""Billing: charge capture, the reconciliation of usage against cases, and serials."""
