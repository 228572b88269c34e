"""Read: one file into data — a plan's front matter and body, reference tables into rows, git dates.

No judgement here: reading keeps where every value came from so the checks can point at it.
"""
