"""Settings from the environment: safe defaults and clear refusals."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from souk.core.config import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_carrier_secrets,
    env_list,
    load_or_create_secret_key,
    private_directory,
    site_url_default,
)


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    path = tmp_path / "secret_key"

    first = load_or_create_secret_key(path)
    second = load_or_create_secret_key(path)

    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sqlite_database_runs_in_wal_mode_with_immediate_transactions(tmp_path, django_db_blocker):
    settings_dict = database_from_url(f"sqlite:///{tmp_path / 'souk.sqlite3'}")
    wrapper = ConnectionHandler({"default": settings_dict})["default"]
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            (journal_mode,) = cursor.fetchone()
        wrapper.close()

    assert journal_mode == "wal"
    assert settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgres_url_gets_a_connect_timeout():
    settings_dict = database_from_url("postgres://postgres@127.0.0.1:5432/souk")

    assert settings_dict["ENGINE"] == "django.db.backends.postgresql"
    assert settings_dict["NAME"] == "souk"
    assert settings_dict["OPTIONS"]["connect_timeout"] == 5


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_cache_url_chooses_the_backend(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_unknown_cache_scheme_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="memcached"):
        cache_from_url("memcached://127.0.0.1")


def test_env_bool_and_list(monkeypatch):
    monkeypatch.setenv("SOUK_FLAG", "Yes")
    monkeypatch.setenv("SOUK_HOSTS", "souk.ma, www.souk.ma,,")

    assert env_bool("SOUK_FLAG", default=False) is True
    assert env_bool("SOUK_UNSET", default=True) is True
    assert env_list("SOUK_HOSTS", default=[]) == ["souk.ma", "www.souk.ma"]
    monkeypatch.setenv("SOUK_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("SOUK_FLAG", default=False)


def test_the_sqlite_database_and_its_wal_files_are_0600_in_a_0700_folder(
    tmp_path, django_db_blocker
):
    # given
    folder = tmp_path / "var"
    settings_dict = database_from_url(f"sqlite:///{folder / 'souk.sqlite3'}")
    wrapper = ConnectionHandler({"default": settings_dict})["default"]
    # when: a write, so that SQLite creates the -wal and -shm files
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
            cursor.execute("INSERT INTO t VALUES (1)")
        modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in sorted(folder.iterdir())}
        wrapper.close()
    # then
    assert modes == {"souk.sqlite3": 0o600, "souk.sqlite3-shm": 0o600, "souk.sqlite3-wal": 0o600}
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_an_existing_database_and_var_folder_are_made_private(tmp_path):
    # given: what an earlier version left, readable by every account
    folder = tmp_path / "var"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    database = folder / "souk.sqlite3"
    database.touch()
    database.chmod(0o644)
    # when
    private_directory(folder)
    database_from_url(f"sqlite:///{database}")
    # then
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_carrier_secrets_are_read_per_carrier_with_a_second_one_while_it_changes(monkeypatch):
    monkeypatch.setenv("SOUK_CARRIERS", " amana=New==, amana=Old, ems=E1 ,, amana-international=")

    secrets = env_carrier_secrets("SOUK_CARRIERS", default={})

    # Only the first "=" separates the code: base64 padding stays in the secret.
    assert secrets == {"amana": ["New==", "Old"], "ems": ["E1"], "amana-international": [""]}
    assert env_carrier_secrets("SOUK_UNSET", default={"x": ["y"]}) == {"x": ["y"]}


def test_a_carrier_secret_without_its_carrier_code_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("SOUK_CARRIERS", "amana=a1,JustASecret")

    with pytest.raises(ImproperlyConfigured) as error:
        env_carrier_secrets("SOUK_CARRIERS", default={})

    # The message names the variable and the entry's place, never the secret itself.
    assert str(error.value) == (
        "SOUK_CARRIERS must be a comma-separated list of carrier_code=secret; entry 2 has no "
        "carrier code"
    )


def test_the_default_site_url_is_on_the_port_make_run_serves():
    assert site_url_default(None) == "http://127.0.0.1:8000"
    assert site_url_default(" 8123 ") == "http://127.0.0.1:8123"
    for port in ("http", "0", "70000", "-1"):
        with pytest.raises(ImproperlyConfigured, match="PORT must be a TCP port number"):
            site_url_default(port)
