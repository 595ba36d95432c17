"""Benchmarks, each printed as a ratio to a baseline measured in the same run (see README.md).

Run them from the repository root as modules: ``python -m bench.ingest``,
``python -m bench.export``.
"""
