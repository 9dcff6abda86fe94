"""Benchmarks and the large-workspace generator (not part of the test run).

``python bench/generate.py OUT.ldpm`` writes the large workspace; ``python bench/run.py`` prints
the figures.  See ``bench/README.md``.
"""
