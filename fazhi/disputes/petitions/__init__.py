"""Petitions 信访 (report part 六): limits, procedure, indicators and demo records."""
