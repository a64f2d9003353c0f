"""Translation catalogues: complete in Arabic, French and Spanish, and compiled without gettext."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

CATALOGUES = {
    code: Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
    for code, _name in settings.LANGUAGES
    if code != "en"  # English is the source language: msgids are the English text
}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_catalogue_has_a_translation_for_every_message(language):
    with CATALOGUES[language].open("rb") as handle:
        catalogue = read_po(handle)

    missing = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == []
    # Babel's checkers compare the %(name)s markers between source and translation.
    problems = [(message.id, errors) for message, errors in catalogue.check()]
    assert problems == []


def test_compile_translations_writes_catalogues_that_django_reads(tmp_path, settings):
    # given: a copy of the catalogues without any compiled file
    for language, po_path in CATALOGUES.items():
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        (target / "django.po").write_bytes(po_path.read_bytes())
    settings.LOCALE_PATHS = [tmp_path]

    # when
    call_command("compile_translations", verbosity=0)

    # then
    assert sorted(p.parent.parent.name for p in tmp_path.glob("*/LC_MESSAGES/django.mo")) == [
        "ar",
        "es",
        "fr",
    ]
    with translation.override("es"):
        assert translation.gettext("Log in") != "Log in"
