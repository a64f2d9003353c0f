"""A use case the database aborts in a conflict runs once more, then says so: never a 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError, transaction
from django.utils import translation

from souk.core.models import AuditEntry
from souk.core.retry import ConcurrentChange, is_conflict, retry_on_conflict


class _Conflicts:
    """A use case that writes an audit entry, then is aborted `times` times like SQLite's
    "database is locked" before it succeeds (the error the database driver raises)."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.runs = 0

    @retry_on_conflict
    @transaction.atomic
    def __call__(self) -> str:
        self.runs += 1
        AuditEntry.objects.create(action="test.run", target_type="test", target_id=str(self.runs))
        if self.runs <= self.times:
            raise OperationalError("database is locked")
        return "done"


@pytest.mark.django_db(transaction=True)
def test_a_use_case_aborted_once_by_a_conflict_runs_again_and_writes_once():
    use_case = _Conflicts(times=1)
    assert use_case() == "done"
    assert use_case.runs == 2
    # The aborted run's write was rolled back with it.
    assert list(AuditEntry.objects.values_list("target_id", flat=True)) == ["2"]


@pytest.mark.django_db(transaction=True)
def test_a_use_case_aborted_twice_is_a_translated_conflict_and_writes_nothing():
    use_case = _Conflicts(times=2)
    with pytest.raises(ConcurrentChange) as raised:
        use_case()
    assert use_case.runs == 2
    assert raised.value.http_status == 409
    with translation.override("fr"):
        assert str(raised.value.message).startswith("Quelqu\u2019un d\u2019autre")
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_another_database_error_is_not_run_again():
    runs = []

    @retry_on_conflict
    def broken() -> None:
        runs.append(1)
        raise OperationalError("no such table: souk_nothing")

    with pytest.raises(OperationalError):
        broken()
    assert len(runs) == 1


@pytest.mark.django_db
def test_inside_a_callers_transaction_the_conflict_goes_to_the_caller():
    # The test's own transaction is the caller's: only the outermost use case may run again.
    use_case = _Conflicts(times=1)
    with pytest.raises(OperationalError):
        use_case()
    assert use_case.runs == 1


def test_deadlock_and_serialization_failures_are_conflicts():
    class _Driver(Exception):
        def __init__(self, sqlstate: str) -> None:
            self.sqlstate = sqlstate

    for sqlstate, expected in (("40P01", True), ("40001", True), ("23505", False)):
        error = OperationalError("aborted")
        error.__cause__ = _Driver(sqlstate)
        assert is_conflict(error) is expected
