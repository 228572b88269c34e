"""Vietnamese: the language and its documents — text folding, numbers and symbols, citations, document
ids, legacy 8-bit encodings, working days, dates.

Pure functions of text; they import only the model.
"""
