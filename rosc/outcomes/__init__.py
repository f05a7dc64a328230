"""Outcome measures: BARC-10, ONS4 and TOP, scored as published, with progress charts."""
