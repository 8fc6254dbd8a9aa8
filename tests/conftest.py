"""Fixtures and hooks for the cross-cutting suites under tests/."""

import os

import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    # Row locks and real parallelism need PostgreSQL; SQLite serialises every writer.
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


# The fuzzing suite takes minutes: `make fuzz` (and its CI step) runs it, `make test` does not.
collect_ignore_glob = [] if os.environ.get("CRM_FUZZ") else ["fuzz/*"]
