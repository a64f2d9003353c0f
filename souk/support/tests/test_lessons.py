"""Lessons through HTTP (docs/support.md): four languages with a picture and a recording,
progress per artisan, the lesson for the next milestone and the advisor's suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from souk.core.models import AuditEntry
from souk.support import lessons
from souk.support.assist_models import LessonProgress
from souk.support.tests.factories import make_advisor, make_artisan_in

pytestmark = pytest.mark.django_db

TITLES = {
    "ar": "التصوير بالهاتف",
    "fr": "Prendre des photos avec son téléphone",
    "en": "Taking photos with your phone",
    "es": "Hacer fotos con el móvil",
}


@pytest.mark.parametrize("language", list(TITLES))
def test_a_lesson_has_its_text_picture_and_recording_in_each_language(client, language):
    artisan = make_artisan_in()
    client.force_login(artisan)
    response = client.get(f"/{language}/support/lessons/photos/")
    body = response.content.decode()
    assert response.status_code == 200
    assert TITLES[language] in body
    assert f"/support/lessons/audio/photos.{language}." in body
    assert "/support/lessons/photos." in body
    # the files are shipped: a recording of a few seconds at least, and a picture of ours
    recording = Path(str(finders.find(f"support/lessons/audio/photos.{language}.ogg")))
    assert 10_000 < recording.stat().st_size < 150_000
    assert recording.read_bytes()[:4] == b"OggS"
    picture = Path(str(finders.find("support/lessons/photos.svg"))).read_text()
    assert picture.startswith("<svg")
    assert "http" not in picture.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_every_lesson_is_written_and_recorded_in_the_four_languages():
    for language in lessons.LANGUAGES:
        for lesson in lessons.list_lessons(language):
            assert lesson.title
            assert len(lesson.steps) >= 3
            assert finders.find(lesson.audio), lesson.audio
            assert finders.find(lesson.picture), lesson.picture


def test_opening_and_finishing_a_lesson_is_kept(client):
    artisan = make_artisan_in()
    client.force_login(artisan)
    assert "new" in client.get("/en/support/lessons/").content.decode()
    client.get("/en/support/lessons/escrow/")
    client.get("/en/support/lessons/escrow/")
    opened = LessonProgress.objects.get(artisan=artisan, lesson="escrow")
    assert opened.finished_at is None
    response = client.post("/en/support/lessons/escrow/finished/")
    assert response.status_code == 302
    finished = LessonProgress.objects.get(artisan=artisan, lesson="escrow")
    assert finished.finished_at is not None
    assert finished.opened_at == opened.opened_at
    body = client.get("/en/support/lessons/").content.decode()
    assert "✓ finished" in body
    assert client.get("/en/support/lessons/nope/").status_code == 404


def test_the_next_milestone_and_the_advisor_suggest_lessons(client):
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in()  # claimed, no piece yet: stage "first piece sent"
    client.force_login(artisan)
    body = client.get("/en/support/lessons/").content.decode()
    assert "Taking photos with your phone" in body.split("Suggested for you")[1].split("</ul>")[0]
    # when the advisor suggests the scams lesson from the portfolio
    client.force_login(advisor.user)
    page = client.get(f"/en/support/portfolio/{artisan.pk}/").content.decode()
    assert "Suggest this lesson" in page
    response = client.post(
        f"/en/support/portfolio/{artisan.pk}/suggest-lesson/", {"lesson": "scams"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="support.lesson_suggested").count() == 1
    # then the artisan sees it, suggested by their advisor, on both pages
    client.force_login(artisan)
    for path in ("/en/support/lessons/", "/en/support/"):
        body = client.get(path).content.decode()
        assert "Avoiding scams" in body
        assert "suggested by <bdi>Karima Idrissi</bdi>" in body
    # and once finished it is no longer suggested; the advisor sees it finished
    client.post("/en/support/lessons/scams/finished/")
    assert "Avoiding scams" not in client.get("/en/support/").content.decode()
    client.force_login(advisor.user)
    page = client.get(f"/en/support/portfolio/{artisan.pk}/").content.decode()
    assert "Avoiding scams · finished" in page


def test_an_unknown_lesson_or_another_advisors_artisan_changes_nothing(client):
    make_advisor()
    stranger = make_advisor(regions=("01",), sectors=("S02",), capacity=0)
    artisan = make_artisan_in()
    client.force_login(stranger.user)
    response = client.post(
        f"/en/support/portfolio/{artisan.pk}/suggest-lesson/", {"lesson": "scams"}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="support.lesson_suggested").exists()
