"""Helpers that turn environment variables into settings (used by souk/settings.py only)."""

from __future__ import annotations

import ipaddress
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no variable; anything but a recognised word is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Read a comma-separated list; empty items are dropped."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str, *, default: list[str]) -> list[str]:
    """Read a comma-separated list of addresses or CIDR networks (`10.0.0.5, 10.1.0.0/16`).

    Each is returned as a network (`10.0.0.5/32`); anything else is a configuration error, so
    a typing mistake cannot silently trust the whole Internet or nobody."""
    networks = []
    for item in env_list(name, default=default):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of IP addresses or CIDR networks; "
                f"got {item!r}"
            ) from error
    return networks


def env_carrier_secrets(name: str, *, default: dict[str, list[str]]) -> dict[str, list[str]]:
    """Read `code=secret,code=secret`: each carrier's webhook secrets by carrier code.

    A code given twice has two valid secrets (the current one first, then the previous one,
    while the carrier switches); only the first `=` of an entry separates the code, so a secret
    may contain `=`. An entry without a code is a configuration error; an empty secret is kept
    for the system check to name it."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    secrets: dict[str, list[str]] = {}
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    for position, entry in enumerate(entries, start=1):
        code, equals, secret = entry.partition("=")
        if not equals or not code.strip():
            # The entry itself is not shown: it may be a secret.
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list of carrier_code=secret; entry "
                f"{position} has no carrier code"
            )
        secrets.setdefault(code.strip(), []).append(secret.strip())
    return secrets


def site_url_default(port: str | None) -> str:
    """Where `make run` serves the site: 127.0.0.1 on PORT (8000 when unset)."""
    port = (port or "").strip() or "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(f"PORT must be a TCP port number; got {port!r}")
    return f"http://127.0.0.1:{int(port)}"


def load_or_create_secret_key(
    path: Path, *, make: Callable[[], str] = get_random_secret_key
) -> str:
    """Return the key stored at `path`, creating it with `make` (readable by its owner only)
    the first time."""
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when two processes start together, one writes and the other reads its key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


PRIVATE_DIRECTORY_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def private_directory(path: Path) -> Path:
    """Create `path` (and missing parents) readable by its owner only; an existing folder of
    ours loses its group and other permissions. A shared folder (owned by someone else, or
    sticky like /tmp) is left as it is."""
    path.mkdir(mode=PRIVATE_DIRECTORY_MODE, parents=True, exist_ok=True)
    status = path.stat()
    if status.st_uid == os.getuid() and not status.st_mode & stat.S_ISVTX:
        path.chmod(stat.S_IMODE(status.st_mode) & PRIVATE_DIRECTORY_MODE)
    return path


def _private_sqlite_file(name: str) -> None:
    """The database file exists, mode 0600, before SQLite opens it: SQLite then creates the
    -wal and -shm files with the database's own mode, so none of the three is readable by
    other accounts. An existing database (and its -wal and -shm) is tightened the same way."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.exists():
        private_directory(path.parent)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        pass
    else:
        os.close(descriptor)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and file.stat().st_uid == os.getuid():
            file.chmod(PRIVATE_FILE_MODE)


LOCMEM_MAX_ENTRIES = 20_000


def cache_from_url(url: str) -> dict[str, Any]:
    """Map CACHE_URL (`locmem://`, `dummy://`, `redis://host:port/db`) onto a CACHES entry."""
    scheme = urlsplit(url).scheme
    if scheme == "locmem":
        # Per process; room for the search results and pages kept (souk.search.query_cache).
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": LOCMEM_MAX_ENTRIES},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(f"CACHE_URL scheme {scheme!r} is not one of locmem, dummy, redis")


def database_from_url(url: str, *, conn_max_age: int = 0) -> dict[str, Any]:
    """Map DATABASE_URL onto a DATABASES entry, with the options each engine needs here."""
    database: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        _private_sqlite_file(str(database["NAME"]))
        database["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # Tests get a file, not the default shared in-memory database: concurrency tests need
        # SQLite's real locking (busy timeout, WAL), which shared-cache memory does not have.
        database["TEST"] = {"NAME": str(Path(database["NAME"]).with_name("test-souk.sqlite3"))}
    else:
        database.setdefault("OPTIONS", {})["connect_timeout"] = 5
    return database
