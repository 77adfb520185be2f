"""The search index: passages cut from the corpus, embedded, written as a folder (format.py) and read back.

passages -> plan (what to embed, links) -> writer (files) -> folder (lock, swap) ; reader (open), dense (nearest) ;
build (build_index) ties them together; prepare (prepare_index) opens, builds or refreshes the
index a search uses.
"""
