"""The benchmark: `python -m kompass_search.bench` (see __main__.py and README, Performance)."""
