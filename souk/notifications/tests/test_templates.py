"""The templates of every kind: present, complete, and rendered in each language."""

from __future__ import annotations

from pathlib import Path

import pytest

from souk.notifications import services
from souk.notifications.tests.factories import CONTEXTS, REFERENCE

TEMPLATES = Path(services.__file__).parent / "templates" / "notifications"
LANGUAGES = ("ar", "fr", "en", "es")


@pytest.fixture(autouse=True)
def _missing_variables_show(settings):
    # A variable the template uses but the context lacks renders as this, not as "".
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["OPTIONS"] = {**engines[0]["OPTIONS"], "string_if_invalid": "MISSING[%s]"}
    settings.TEMPLATES = engines


def test_every_kind_has_a_subject_a_text_and_an_sms():
    kinds = {path.name for path in TEMPLATES.iterdir() if path.is_dir()}

    assert kinds == set(CONTEXTS)
    for kind in kinds:
        assert sorted(p.name for p in (TEMPLATES / kind).iterdir()) == [
            "body.txt",
            "sms.txt",
            "subject.txt",
        ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(CONTEXTS))
def test_every_kind_renders_in_every_language_with_the_reference(kind, language):
    # when
    rendered = services.render_notification(kind=kind, context=CONTEXTS[kind], language=language)

    # then
    for text in (rendered.subject, rendered.body, rendered.sms_text):
        assert REFERENCE in text
        assert "MISSING[" not in text
        assert "{" not in text
    assert "\n" not in rendered.subject
    assert 0 < len(rendered.sms_text) <= 160
    assert rendered.body == rendered.body.strip()


def test_the_texts_are_plain_text_not_html_escaped():
    rendered = services.render_notification(
        kind="suborder_shipped", context=CONTEXTS["suborder_shipped"], language="en"
    )

    assert rendered.subject == f"Your order {REFERENCE} is on its way"
    assert rendered.body == (
        f"Poterie Fès & Fils has shipped your order {REFERENCE} with Amana.\n\n"
        "Tracking number: AM123456789MA"
    )
    assert rendered.sms_text == (
        f"Souk: order {REFERENCE} from Poterie Fès & Fils is shipped with Amana. "
        "Tracking: AM123456789MA"
    )


@pytest.mark.parametrize(("item_count", "words"), [(1, "It has 1 piece,"), (3, "It has 3 pieces,")])
def test_the_artisans_new_order_counts_its_pieces(item_count, words):
    context = {**CONTEXTS["order_paid_artisan"], "item_count": item_count}

    rendered = services.render_notification(
        kind="order_paid_artisan", context=context, language="en"
    )

    assert rendered.body == (
        f"Good news: order {REFERENCE} for Poterie Fès & Fils is paid. {words} "
        "1 350,00 MAD in all.\n\n"
        "- 2 \u00d7 طاجين \u2013 كبير\n"
        "- 1 \u00d7 Zellige\n\n"
        "Please accept or decline it by 2 December 2026: the buyer is waiting for your answer."
    )


def test_a_declined_order_without_a_reason_leaves_out_the_reason_line():
    context = {**CONTEXTS["suborder_declined"], "reason": ""}

    rendered = services.render_notification(
        kind="suborder_declined", context=context, language="en"
    )

    assert "Reason given" not in rendered.body
    assert rendered.body.startswith(
        f"We are sorry: Poterie Fès & Fils has declined your order {REFERENCE}.\n\nYou will"
    )


def test_a_long_message_is_trimmed_to_one_sms():
    context = {**CONTEXTS["order_message"], "excerpt": "Thank you so much! " * 20}

    rendered = services.render_notification(kind="order_message", context=context, language="en")

    assert len(rendered.sms_text) == 160
    assert rendered.sms_text.startswith(f"Souk: Amina about order {REFERENCE}: Thank you")
    assert rendered.sms_text.endswith("...")
    assert rendered.body.count("Thank you so much!") == 20
