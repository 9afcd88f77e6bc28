"""Costs: usage value and spend by department and cost centre, consignment."""
