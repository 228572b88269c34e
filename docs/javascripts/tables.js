/* Filtering and sorting of generated tables (see congkhai/pages.py). */
