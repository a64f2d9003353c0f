"""The register in the back office: upload an export, watch its import, download the report."""

from __future__ import annotations

import io
import logging
import re
import signal

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.models import AuditEntry
from souk.registry.models import RegisterEntry, RegisterImport
from souk.registry.tests.register_files import (
    artisan,
    cooperative,
    import_register,
    write_register,
)

pytestmark = pytest.mark.django_db

TASK_PATH = "souk.registry.tasks.run_register_import"

# The worker reads committed rows and recycles its database connection between tasks, as in
# production: tests that run it commit for real instead of running inside one transaction.
with_worker = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nomenclature():
    """Sectors, trades and regions, which the flush between transactional tests removes."""
    call_command("load_nomenclature", stdout=io.StringIO())


def user_with_role(role: Role) -> User:
    user = accounts.grant_role(user=make_user(), role=role)
    return User.objects.get(pk=user.pk)  # permissions are cached per instance


def staff_without_verify_permission() -> User:
    """In the back office, yet not allowed to see identities (no such role today)."""
    user = make_user(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="access_backoffice")
    )
    return user


def run_worker() -> None:
    """Run the queued tasks the way `manage.py db_worker` does, then restore what it changed."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    try:
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def admin_url(name: str, *args: object) -> str:
    """The French back office URL (the language prefix decides the operator's language)."""
    with translation.override("fr"):
        return reverse(f"admin:{name}", args=args)


def change_url(register_import: RegisterImport) -> str:
    return admin_url("registry_registerimport_change", register_import.pk)


def status_url(register_import: RegisterImport) -> str:
    return admin_url("registry_registerimport_status", register_import.pk)


def report_url(register_import: RegisterImport) -> str:
    return admin_url("registry_registerimport_report", register_import.pk)


def upload(client, path, kind: str = "full"):
    with path.open("rb") as handle:
        return client.post(
            admin_url("registry_registerimport_add"), {"source_file": handle, "kind": kind}
        )


@with_worker
@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN])
def test_an_operator_uploads_a_register_and_the_worker_imports_it(
    client, tmp_path, nomenclature, role
):
    # given
    operator = user_with_role(role)
    client.force_login(operator)
    path = write_register(
        tmp_path / "register.csv",
        [
            artisan("A-001"),
            artisan("A-002", cin="12"),
            artisan("A-003", phone="06 83 12 34 56"),
            cooperative("C-001"),
        ],
    )

    # when
    response = upload(client, path)

    # then: the import is recorded and queued once committed, nothing imported yet
    register_import = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == change_url(register_import)
    assert (register_import.status, register_import.kind) == ("pending", "full")
    assert register_import.requested_by == operator
    assert register_import.original_name == "register.csv"
    assert register_import.language == "fr"
    assert register_import.source_file.name.startswith("register-imports/")
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs) == (
        TASK_PATH,
        {"args": [register_import.pk], "kwargs": {}},
    )
    assert RegisterEntry.objects.count() == 0
    audit = AuditEntry.objects.get(action="registry.import_requested")
    assert (audit.actor_id, audit.target_id) == (operator.pk, str(register_import.pk))

    # when: the worker runs
    run_worker()

    # then
    register_import.refresh_from_db()
    assert register_import.status == "succeeded"
    assert (
        register_import.created_count,
        register_import.rejected_count,
        register_import.warning_count,
        register_import.processed_rows,
        register_import.total_rows,
    ) == (3, 1, 1, 4, 4)
    assert sorted(RegisterEntry.objects.values_list("register_number", flat=True)) == [
        "A-001",
        "A-003",
        "C-001",
    ]
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "succeeded")
    page = client.get(change_url(register_import)).content.decode()
    assert 'data-status="succeeded"' in page
    assert 'data-count="created">3<' in page
    assert 'data-count="updated">0<' in page
    assert 'data-count="unchanged">0<' in page
    assert 'data-count="deactivated">0<' in page
    assert 'data-count="rejected">1<' in page
    assert 'data-count="warnings">1<' in page
    assert f'href="{report_url(register_import)}"' in page
    assert "hx-get" not in page


@with_worker
def test_a_partial_upload_deactivates_nothing(client, tmp_path, nomenclature):
    # given
    import_register(write_register(tmp_path / "v1.csv", [artisan("A-001"), artisan("A-002")]))
    client.force_login(user_with_role(Role.MODERATOR))

    # when
    upload(client, write_register(tmp_path / "delta.csv", [artisan("A-002")]), "partial")
    run_worker()

    # then
    register_import = RegisterImport.objects.latest("id")
    assert (register_import.kind, register_import.status) == ("partial", "succeeded")
    assert register_import.deactivated_count == 0
    assert set(RegisterEntry.objects.values_list("status", flat=True)) == {"active"}


@with_worker
def test_a_running_import_page_refreshes_its_status_until_it_ends(client, tmp_path, nomenclature):
    # given: an upload waiting for the worker
    client.force_login(user_with_role(Role.MODERATOR))
    upload(client, write_register(tmp_path / "register.csv", [artisan("A-001")]))
    register_import = RegisterImport.objects.get()

    # when
    page = client.get(change_url(register_import)).content.decode()
    waiting = client.get(status_url(register_import)).content.decode()
    run_worker()
    done = client.get(status_url(register_import)).content.decode()

    # then: htmx, from our own static files, polls the status fragment while it runs
    assert re.search(r'<script src="/static/vendor/htmx/htmx\.min(\.[0-9a-f]{12})?\.js"', page)
    assert f'hx-get="{status_url(register_import)}" hx-trigger="every 2s"' in page
    assert 'data-status="pending"' in waiting
    assert "hx-get" in waiting
    assert 'data-status="succeeded"' in done
    assert "hx-get" not in done
    assert 'data-count="created">1<' in done


@with_worker
def test_a_refused_upload_shows_why_on_its_page(client, tmp_path, nomenclature):
    # given
    client.force_login(user_with_role(Role.MODERATOR))
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("numero,nom\n1,x\n", encoding="utf-8")

    # when
    upload(client, wrong)
    run_worker()

    # then
    register_import = RegisterImport.objects.get()
    assert register_import.status == "refused"
    assert RegisterEntry.objects.count() == 0
    page = client.get(change_url(register_import)).content.decode()
    assert 'data-status="refused"' in page
    assert "register_number (numero_registre)" in page


def test_an_upload_that_is_not_csv_or_xlsx_is_refused_by_the_form(client, tmp_path):
    # given
    client.force_login(user_with_role(Role.MODERATOR))
    document = tmp_path / "register.pdf"
    document.write_bytes(b"%PDF-1.4")

    # when
    response = upload(client, document)

    # then
    assert response.status_code == 200
    assert RegisterImport.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [("buyer", 302), ("anonymous", 302), ("staff without permission", 403)],
)
def test_only_operators_may_upload_a_register(client, tmp_path, who, expected_status):
    # given
    if who == "buyer":
        client.force_login(user_with_role(Role.BUYER))
    elif who == "staff without permission":
        client.force_login(staff_without_verify_permission())

    # when
    page = client.get(admin_url("registry_registerimport_add"))
    response = upload(client, write_register(tmp_path / "register.csv", [artisan("A-001")]))

    # then
    assert page.status_code == expected_status
    assert response.status_code == expected_status
    assert RegisterImport.objects.count() == 0


def test_the_operator_downloads_the_rejected_rows_report(client, tmp_path):
    # given
    register_import = import_register(
        write_register(tmp_path / "register.csv", [artisan("A-001", cin="1")]), "--language", "en"
    )
    client.force_login(user_with_role(Role.MODERATOR))

    # when
    response = client.get(report_url(register_import))

    # then
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="register-import-{register_import.pk}-rejected-rows.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.splitlines() == [
        "\ufeffline,column,value,reason",
        '2,cin,1,"A CIN is one or two letters followed by one to six digits, e.g. AB123456."',
    ]


@pytest.mark.parametrize(
    ("who", "expected_status"),
    [("buyer", 302), ("anonymous", 302), ("staff without permission", 403)],
)
def test_the_report_is_refused_to_anyone_but_operators(client, tmp_path, who, expected_status):
    # given
    register_import = import_register(
        write_register(tmp_path / "register.csv", [artisan("A-001", cin="1")])
    )
    if who == "buyer":
        client.force_login(user_with_role(Role.BUYER))
    elif who == "staff without permission":
        client.force_login(staff_without_verify_permission())

    # when
    response = client.get(report_url(register_import))

    # then
    assert response.status_code == expected_status
    if expected_status == 302:
        assert response["Location"].startswith(admin_url("login"))


def test_the_cin_of_an_entry_is_shown_only_to_those_who_verify_identities(client, tmp_path):
    # given
    import_register(write_register(tmp_path / "register.csv", [artisan("A-001", cin="JB4567")]))
    entry_url = admin_url("registry_registerentry_change", RegisterEntry.objects.get().pk)

    # when
    client.force_login(user_with_role(Role.MODERATOR))
    for_operator = client.get(entry_url)
    client.force_login(staff_without_verify_permission())
    for_other_staff = client.get(entry_url)

    # then
    assert for_operator.status_code == 200
    assert "JB4567" in for_operator.content.decode()
    assert for_other_staff.status_code == 200
    assert "JB4567" not in for_other_staff.content.decode()
    assert "BENNANI" in for_other_staff.content.decode()


def test_back_office_staff_search_entries_and_reference_data_without_changing_them(
    client, tmp_path
):
    # given
    import_register(
        write_register(tmp_path / "register.csv", [artisan("A-001"), cooperative("C-001")])
    )
    client.force_login(user_with_role(Role.MODERATOR))

    # when
    entries = client.get(
        admin_url("registry_registerentry_changelist"),
        {"q": "Tafilalet", "status__exact": "active"},
    )
    trades = client.get(admin_url("registry_trade_changelist"), {"q": "S07-T01"})
    add_trade = client.get(admin_url("registry_trade_add"))

    # then
    assert entries.status_code == 200
    assert [entry.register_number for entry in entries.context["cl"].result_list] == ["C-001"]
    assert trades.status_code == 200
    assert [trade.code for trade in trades.context["cl"].result_list] == ["S07-T01"]
    assert add_trade.status_code == 403
