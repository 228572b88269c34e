"""Derive: what follows from the corpus without rendering it — disclosure compliance, task
monitoring, what was published before (from git).
"""
