"""Background work of shipping: the sandbox carrier's tracking events."""

from __future__ import annotations

from django_tasks import task

from souk.shipping import sandbox


@task()
def advance_sandbox_parcels() -> int:
    """Send the sandbox carrier's due tracking events (nothing unless SOUK_SANDBOX)."""
    return sandbox.advance_parcels()
