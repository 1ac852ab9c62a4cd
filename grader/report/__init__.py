"""The report: a frozen model, and one renderer per output format."""
