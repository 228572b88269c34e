"""Render: pure functions of the corpus to files — plan pages, listings, datasets, open data, feeds,
metadata, statistics. Pages are plain Markdown, so the site engine stays replaceable.
"""
