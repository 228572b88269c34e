"""Load: the whole repository into one corpus, read once — every plan read and checked once
(per-plan work cached by content), the reference tables, the cross-table checks.
"""
