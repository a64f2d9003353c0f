"""The SMS backends for development and tests, and the setting that picks one."""

from __future__ import annotations

import io
import json

from souk.notifications import sms


def test_the_console_backend_prints_the_number_and_the_text():
    stream = io.StringIO()

    message_id = sms.ConsoleSmsBackend(stream=stream).send(to="+212611223344", text="Bonjour")

    assert message_id.startswith("console-")
    assert stream.getvalue() == f"SMS {message_id}\nTo: +212611223344\n\nBonjour\n{'-' * 79}\n"


def test_the_file_backend_appends_one_json_line_per_message(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "sms" / "sent.log"
    backend = sms.FileSmsBackend()

    first = backend.send(to="+212611223344", text="مرحبا")
    second = backend.send(to="+212600000000", text="Hola")

    lines = [json.loads(line) for line in settings.SMS_FILE_PATH.read_text("utf-8").splitlines()]
    assert [(line["id"], line["to"], line["text"]) for line in lines] == [
        (first, "+212611223344", "مرحبا"),
        (second, "+212600000000", "Hola"),
    ]


def test_the_locmem_backend_keeps_messages_in_the_outbox():
    message_id = sms.LocmemSmsBackend().send(to="+212611223344", text="Hello")

    assert sms.outbox == [sms.SmsMessage(id=message_id, to="+212611223344", text="Hello")]


def test_get_sms_backend_follows_the_setting(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.FileSmsBackend"
    assert isinstance(sms.get_sms_backend(), sms.FileSmsBackend)

    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    assert isinstance(sms.get_sms_backend(), sms.LocmemSmsBackend)
