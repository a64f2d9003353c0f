"""Demo tests compare messages with their English source text, like the shops and catalog
tests: the demo runs through their services."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
