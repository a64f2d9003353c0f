"""Favourites tests read pages in English, like the catalog's."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def immediate_tasks(settings):
    """Tasks (the notices' emails) run as soon as they are queued, instead of by the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
