"""The services' tests run on every backend (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from postgres_server import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param
