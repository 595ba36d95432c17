"""Signal fixtures: the survey fixtures (a browser talking to the collector, survey builders)."""

from tests.surveys.conftest import add, new_visitor, tokens, visitor  # noqa: F401
