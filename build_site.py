#!/usr/bin/env python3
"""Validate the plans, write the open datasets and build the site. See README.md."""

import sys

from congkhai.cli import main

if __name__ == "__main__":
    sys.exit(main())
