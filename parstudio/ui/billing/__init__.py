"""The Charges page: charge capture, the reconciliation and serials."""
