"""/healthz: 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_a_healthy_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    # given: a real Souk process whose database server does not exist (nothing listens on port 1)
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz', HTTP_HOST='127.0.0.1')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "souk.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable",
        "SOUK_VAR_DIR": str(tmp_path),
    }

    # when
    completed = subprocess.run(  # noqa: S603  # our own interpreter and a fixed script
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    # then
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result == {
        "status": 503,
        "body": {"status": "unavailable", "database": "unreachable"},
    }
