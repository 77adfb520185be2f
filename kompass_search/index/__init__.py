"""The search index: passages cut from the corpus, embedded, written as a folder (format.py) and read back.

passages -> plan (what to embed, links) -> writer (files) -> folder (lock, swap) ; reader (open, nearest) ;
build (build_index, prepare_index) ties them together.
"""
