"""Commands: the work behind each CLI command that is more than load, render, publish — fix, diff,
merge. They return results or raise ``CongkhaiError``; only the CLI prints.
"""
