"""Shops tests compare messages with their English source text, whatever the catalogues hold:
services run in the active language, which is French (LANGUAGE_CODE) outside a request."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
