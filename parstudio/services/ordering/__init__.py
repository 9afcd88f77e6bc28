"""Ordering: proposals, orders and transfers, receipts, the printed paper."""
