"""Checks: each takes parsed sources or table rows and returns findings; none prints."""
