"""`kompass tui`: a Textual app for search sessions (ask, narrow, compare, cite) over the library."""
