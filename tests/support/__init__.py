"""What tests (and the benchmarks in ``bench/``) share that is not a fixture.

``gunicorn``: a real gunicorn on 127.0.0.1 in a process group of its own; ``db``: read-only checks
of what a test stored. Standard library only, so the benchmarks can import it without test deps.
"""
