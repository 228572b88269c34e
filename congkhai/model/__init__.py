"""The model: what every stage shares — schemas, findings, limits, rows, the corpus, the site map.

Nothing here reads a plan or writes a page; it imports no other stage.
"""
