"""Search over an index: filters (exact row masks), ranking (relevance and role-model score), the searcher,
role models from the scores (gaps, compare, top), and retrieval evaluation on labelled queries."""
