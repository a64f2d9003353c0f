"""SMS replies are stored first, then handled once (issue #19, docs/support.md): a gateway
that posts the same reply again changes nothing more; a reply whose handling fails is kept,
marked failed with the error, answered 200, shown to the operators and handled later."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core import signatures
from souk.core.models import AuditEntry
from souk.support import nudges, sms_replies
from souk.support.help_models import NudgePreference
from souk.support.sms_models import SmsReply, SmsReplyStatus
from souk.support.tests.factories import make_advisor
from souk.support.tests.test_nudges import _texts_in_memory, stuck_artisan

pytestmark = pytest.mark.django_db
__all__ = ["_texts_in_memory"]


def post(client, settings, message: dict[str, str]):
    body = json.dumps(message).encode()
    return client.post(
        "/sms/replies/",
        body,
        content_type="application/json",
        headers={"X-Sms-Signature": signatures.sign(body, secret=settings.SOUK_SMS_REPLY_SECRET)},
    )


def test_a_retried_reply_is_kept_and_handled_once(client, settings):
    make_advisor()
    artisan = stuck_artisan(days=30)
    message = {"id": "gw-7781", "from": str(artisan.phone), "text": "STOP"}
    first = post(client, settings, message)
    again = post(client, settings, message)
    assert (first.status_code, first.json()) == (200, {"result": "stopped"})
    assert (again.status_code, again.json()) == (200, {"result": "stopped"})
    reply = SmsReply.objects.get()
    assert (reply.message_id, reply.status, reply.attempts) == ("gw-7781", "handled", 1)
    assert json.loads(reply.raw) == message
    assert reply.sender == artisan.phone
    assert AuditEntry.objects.filter(action="support.nudges_stopped").count() == 1
    # the artisan turns nudges back on; the gateway posting the old STOP again changes nothing
    nudges.opt_in(artisan_id=artisan.pk)
    post(client, settings, message)
    assert NudgePreference.objects.get(artisan=artisan).opted_out_at is None
    assert SmsReply.objects.count() == 1


def test_a_reply_without_the_gateways_id_is_kept_once_by_its_body(client, settings):
    make_advisor()
    artisan = stuck_artisan(days=30)
    message = {"from": str(artisan.phone), "text": "hello"}
    post(client, settings, message)
    post(client, settings, message)
    post(client, settings, {"from": str(artisan.phone), "text": "hello again"})
    assert SmsReply.objects.count() == 2
    assert set(SmsReply.objects.values_list("result", flat=True)) == {"unknown"}


def test_a_failed_handling_keeps_the_reply_and_answers_200(client, settings, monkeypatch):
    make_advisor()
    artisan = stuck_artisan(days=30)

    # fault injection: the handling step breaks (say, the database drops the connection)
    def broken(**_kwargs: str) -> nudges.Reply:
        raise RuntimeError("connection lost")

    message = {"id": "gw-9001", "from": str(artisan.phone), "text": "STOP"}
    with monkeypatch.context() as patched:
        patched.setattr(nudges, "receive_sms_reply", broken)
        response = post(client, settings, message)
    # then the gateway is answered 200 (it must not post again), the reply is kept, failed
    assert (response.status_code, response.json()) == (200, {"result": "failed"})
    reply = SmsReply.objects.get()
    assert reply.status == SmsReplyStatus.FAILED
    assert "connection lost" in reply.error
    assert json.loads(reply.raw) == message
    assert NudgePreference.objects.filter(artisan=artisan, opted_out_at__isnull=False).count() == 0
    # an operator sees it among the unhandled replies in the back office
    admin = accounts.grant_role(user=make_user(), role=Role.ADMIN)
    client.force_login(admin)
    listing = client.get("/en/admin/support/smsreply/?status__exact=failed")
    assert listing.status_code == 200
    assert "connection lost" in listing.content.decode()
    # once the fault is gone, the task worker handles it, once
    assert sms_replies.handle_left_over(now=timezone.now()) == 1
    reply.refresh_from_db()
    assert (reply.status, reply.result, reply.attempts, reply.error) == (
        "handled",
        "stopped",
        2,
        "",
    )
    assert NudgePreference.objects.get(artisan=artisan).opted_out_by == "sms"
    assert sms_replies.handle_left_over(now=timezone.now()) == 0


def test_an_operator_handles_a_failed_reply_again_from_the_back_office(
    client, settings, monkeypatch
):
    make_advisor()
    artisan = stuck_artisan(days=30)
    with monkeypatch.context() as patched:  # fault injection: the handling breaks
        patched.setattr(nudges, "receive_sms_reply", lambda **_: 1 / 0)
        post(client, settings, {"id": "gw-1", "from": str(artisan.phone), "text": "STOP"})
    reply = SmsReply.objects.get(status="failed")
    client.force_login(accounts.grant_role(user=make_user(), role=Role.ADMIN))
    response = client.post(
        "/en/admin/support/smsreply/",
        {"action": "handle_again", "_selected_action": [reply.pk]},
        follow=True,
    )
    assert "1 reply handled." in response.content.decode()
    assert SmsReply.objects.get().status == "handled"


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"from": "+212600000000"}'])
def test_an_unreadable_reply_is_refused_and_nothing_is_kept(client, settings, body):
    response = client.post(
        "/sms/replies/",
        body,
        content_type="application/json",
        headers={"X-Sms-Signature": signatures.sign(body, secret=settings.SOUK_SMS_REPLY_SECRET)},
    )
    assert response.status_code == 400
    assert not SmsReply.objects.exists()
