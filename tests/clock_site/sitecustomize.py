"""Started by every Python process of a test run under ``.ci/at-time`` (it puts this folder on
PYTHONPATH): the process's wall clock moves by the run's one offset (``tests/clock.py``)."""

from tests.clock import move_clock_from_environment

move_clock_from_environment()
