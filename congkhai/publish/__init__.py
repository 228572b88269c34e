"""Publish: the rendered files into a site — staging and the atomic swap, sanitising, the search
index, and the one module that runs the site engine (MkDocs).
"""
