"""Công khai: publish Vietnamese public-sector plans as a validated site and open datasets."""

__version__ = "0.1.0"
