"""Notification pages through HTTP: the list, opening one, marking all read; the header tag."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from souk.notifications import selectors, services
from souk.notifications.models import Notification
from souk.notifications.tests.factories import CONTEXTS, REFERENCE, make_person

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(f"notifications:{name}", kwargs=kwargs)


def notify(recipient, kind: str = "suborder_shipped", link: str = "") -> Notification:
    return services.notify(recipient=recipient, kind=kind, context=CONTEXTS[kind], url=link)


def test_the_list_needs_a_login(client):
    response = client.get(url("list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_shows_ones_own_notifications_newest_first_unread_marked(client):
    # given
    recipient = make_person(preferred_language="en")
    shipped = notify(recipient, "suborder_shipped")
    services.mark_read(user=recipient, notification_id=shipped.pk)
    notify(recipient, "suborder_delivered")
    notify(make_person(preferred_language="en"), "suborder_refunded")
    client.force_login(recipient)

    # when
    response = client.get(url("list"))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="notification notification--unread"') == 1
    assert html.count('class="notification"') == 1
    assert html.index(f"Your order {REFERENCE} has arrived") < html.index(
        f"Your order {REFERENCE} is on its way"
    )
    assert "Refund" not in html


def test_the_list_shows_thirty_a_page(client):
    recipient = make_person(preferred_language="en")
    for _number in range(31):
        notify(recipient)
    client.force_login(recipient)

    first = client.get(url("list"))
    second = client.get(url("list"), {"page": 2})

    assert len(first.context["page"].object_list) == 30
    assert len(second.context["page"].object_list) == 1


def test_the_list_makes_as_many_queries_for_thirty_notifications_as_for_one(client):
    recipient = make_person(preferred_language="en")
    notify(recipient)
    client.force_login(recipient)
    with CaptureQueriesContext(connection) as one:
        client.get(url("list"))
    for _number in range(29):
        notify(recipient)

    with CaptureQueriesContext(connection) as thirty:
        client.get(url("list"))

    assert len(thirty) == len(one)


def test_opening_a_notification_marks_it_read_and_follows_its_link(client):
    recipient = make_person(preferred_language="fr")
    notification = notify(recipient, link=url("list", "en"))
    client.force_login(recipient)

    response = client.post(url("read", notification_id=notification.pk))

    assert response.status_code == 302
    assert response["Location"] == "/fr/notifications/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_without_a_link_goes_back_to_the_list(client):
    recipient = make_person()
    notification = notify(recipient)
    client.force_login(recipient)

    response = client.post(url("read", notification_id=notification.pk))

    assert response["Location"] == url("list")


def test_another_persons_notification_is_a_404_and_stays_unread(client):
    notification = notify(make_person())
    client.force_login(make_person())

    response = client.post(url("read", notification_id=notification.pk))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(client):
    recipient = make_person()
    notification = notify(recipient)
    client.force_login(recipient)

    response = client.get(url("read", notification_id=notification.pk))

    assert response.status_code == 405
    assert selectors.count_unread(recipient) == 1


def test_read_all_marks_only_ones_own_notifications(client):
    recipient, other = make_person(), make_person()
    notify(recipient)
    notify(recipient)
    notify(other)
    client.force_login(recipient)

    response = client.post(url("read_all"))

    assert response.status_code == 302
    assert response["Location"] == url("list")
    assert selectors.count_unread(recipient) == 0
    assert selectors.count_unread(other) == 1


def test_the_unread_count_tag_counts_the_pages_user():
    recipient = make_person()
    notify(recipient)
    notify(recipient)
    template = Template(
        "{% load notifications %}{% unread_notifications_count as unread %}{{ unread }}"
    )

    assert template.render(Context({"user": recipient})) == "2"
    assert template.render(Context({"user": AnonymousUser()})) == "0"
    assert template.render(Context({})) == "0"
