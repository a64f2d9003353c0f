"""Fixtures shared by every test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's 1,000,000 rounds are the point in production and only slow here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_tmp_path(settings, tmp_path):
    # Uploaded photos and KYC scans are real files: each test writes its own, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
