"""Field encryption and blind indexes: tokens, keys, and the deployment check of the keys."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from souk.core import crypto
from souk.core.config import load_or_create_secret_key


def test_a_field_key_is_generated_once_into_a_private_file(tmp_path):
    # given
    path = tmp_path / "field_key"
    # when
    first = load_or_create_secret_key(path, make=crypto.generate_field_key)
    second = load_or_create_secret_key(path, make=crypto.generate_field_key)
    # then
    assert first == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_first_key_encrypts_and_every_key_decrypts(settings):
    # given
    old_key, new_key = crypto.generate_field_key(), crypto.generate_field_key()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    under_old_key = crypto.encrypt("011519000001205000534921")
    # when
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    rotated = crypto.rotate(under_old_key)
    # then
    assert crypto.decrypt(under_old_key) == "011519000001205000534921"
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert crypto.decrypt(rotated) == "011519000001205000534921"
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(under_old_key)


def test_two_encryptions_of_one_value_differ_but_its_blind_index_does_not():
    assert crypto.encrypt("AB123456") != crypto.encrypt("AB123456")
    assert crypto.blind_index("AB123456", purpose="registry.cin") == crypto.blind_index(
        "AB123456", purpose="registry.cin"
    )
    assert crypto.blind_index("AB123456", purpose="registry.cin") != crypto.blind_index(
        "AB123456", purpose="other"
    )
    assert crypto.blind_index("", purpose="registry.cin") == ""


def test_a_key_that_is_not_a_fernet_key_is_refused_without_being_echoed(settings):
    # given
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key-but-a-secret"]
    # when
    with pytest.raises(ImproperlyConfigured) as error:
        crypto.encrypt("AB123456")
    # then
    assert "SOUK_FIELD_KEYS" in str(error.value)
    assert "not-a-key-but-a-secret" not in str(error.value)


def test_the_deployment_check_reports_keys_generated_into_var(settings):
    # given: what `make run` and the tests have
    settings.FIELD_ENCRYPTION_KEYS_FROM_ENVIRONMENT = False
    settings.BLIND_INDEX_KEY_FROM_ENVIRONMENT = False
    # when
    problems = crypto.key_problems()
    # then
    assert [problem.id for problem in problems] == ["souk.E101", "souk.E102"]


def test_the_deployment_check_passes_with_keys_from_the_environment(settings):
    # given
    settings.FIELD_ENCRYPTION_KEYS = [crypto.generate_field_key()]
    settings.FIELD_ENCRYPTION_KEYS_FROM_ENVIRONMENT = True
    settings.BLIND_INDEX_KEY = "k" * 40
    settings.BLIND_INDEX_KEY_FROM_ENVIRONMENT = True
    # when / then
    assert crypto.key_problems() == []


def test_the_deployment_check_reports_a_short_index_key_and_an_unusable_field_key(settings):
    # given
    settings.FIELD_ENCRYPTION_KEYS = ["short"]
    settings.FIELD_ENCRYPTION_KEYS_FROM_ENVIRONMENT = True
    settings.BLIND_INDEX_KEY = "short"
    settings.BLIND_INDEX_KEY_FROM_ENVIRONMENT = True
    # when / then
    assert [problem.id for problem in crypto.key_problems()] == ["souk.E103", "souk.E104"]
