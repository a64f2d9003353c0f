"""Short lessons for artisans (docs/support.md): the texts in ar/fr/en/es are data
(`data/lessons.json`), each lesson has a picture (`static/support/lessons/<slug>.svg`, drawn for
Souk) and the same text read aloud (`static/support/lessons/audio/<slug>.<lang>.ogg`, made once
by `scripts/make_lesson_audio.py` with espeak-ng and committed). Progress is kept per artisan;
the lesson suggested is the one that helps with the artisan's next milestone, and any lesson
their advisor suggested and they did not finish."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language

from souk.accounts.models import User
from souk.core import audit
from souk.support.assist_models import LessonProgress, LessonSuggestion
from souk.support.errors import LessonNotFound, NotFollowed
from souk.support.models import Advisor, Assignment, Milestone

DATA = Path(__file__).resolve().parent / "data" / "lessons.json"
LANGUAGES = ("ar", "fr", "en", "es")
# In the order they are listed.
ORDER = ("photos", "pricing", "packing", "escrow", "scams", "banking")
# The lesson that helps with each next milestone (the stage).
FOR_STAGE = {
    Milestone.ACCOUNT: "scams",
    Milestone.REGISTER_CLAIMED: "scams",
    Milestone.PHONE_VERIFIED: "scams",
    Milestone.FIRST_PIECE_SENT: "photos",
    Milestone.FIRST_PIECE_PUBLISHED: "photos",
    Milestone.PROFILE_COMPLETE: "photos",
    Milestone.PAYOUT_VERIFIED: "escrow",
    Milestone.FIRST_SALE: "pricing",
    Milestone.FIRST_SALE_ABROAD: "packing",
    Milestone.FIRST_PAYOUT: "escrow",
    Milestone.FIVE_PIECES: "pricing",
    Milestone.FIRST_REPEAT_BUYER: "banking",
}


@dataclass(frozen=True)
class Lesson:
    slug: str
    language: str
    title: str
    steps: tuple[str, ...]

    @property
    def picture(self) -> str:
        return f"support/lessons/{self.slug}.svg"

    @property
    def audio(self) -> str:
        return f"support/lessons/audio/{self.slug}.{self.language}.ogg"

    def spoken_text(self) -> str:
        """What the audio file reads: the title, then each step."""
        return "\n".join((self.title, *self.steps))


@cache
def _texts() -> dict[str, dict[str, dict[str, object]]]:
    with DATA.open(encoding="utf-8") as handle:
        loaded: dict[str, dict[str, dict[str, object]]] = json.load(handle)
    return loaded


def _language(language: str | None) -> str:
    code = (language or get_language() or "fr").split("-")[0]
    return code if code in LANGUAGES else "fr"


def get_lesson(slug: str, language: str | None = None) -> Lesson:
    """The lesson in the language asked (else the page's); LessonNotFound for an unknown slug."""
    if slug not in ORDER:
        raise LessonNotFound()
    lang = _language(language)
    text = _texts()[slug][lang]
    steps = cast(list[str], text["steps"])
    return Lesson(slug=slug, language=lang, title=str(text["title"]), steps=tuple(steps))


def list_lessons(language: str | None = None) -> list[Lesson]:
    return [get_lesson(slug, language) for slug in ORDER]


def lesson_for_stage(stage: str) -> str:
    for milestone, slug in FOR_STAGE.items():
        if milestone.value == stage:
            return slug
    return "banking"


def progress_of(artisan_id: int) -> dict[str, LessonProgress]:
    return {p.lesson: p for p in LessonProgress.objects.filter(artisan_id=artisan_id)}


def suggested(*, artisan_id: int, stage: str) -> list[tuple[str, Advisor | None]]:
    """Lessons to take next: the advisor's suggestions not finished, newest first, then the
    one for the next milestone if not finished. (slug, the advisor who suggested it or None)."""
    finished = set(
        LessonProgress.objects.filter(artisan_id=artisan_id, finished_at__isnull=False).values_list(
            "lesson", flat=True
        )
    )
    picked: list[tuple[str, Advisor | None]] = []
    seen: set[str] = set()
    for suggestion in LessonSuggestion.objects.filter(artisan_id=artisan_id).select_related(
        "advisor__user"
    ):
        if suggestion.lesson not in finished and suggestion.lesson not in seen:
            picked.append((suggestion.lesson, suggestion.advisor))
            seen.add(suggestion.lesson)
    for_stage = lesson_for_stage(stage)
    if for_stage not in finished and for_stage not in seen:
        picked.append((for_stage, None))
    return picked


def mark_opened(*, artisan: User, slug: str) -> LessonProgress:
    """The first opening is kept; later ones change nothing."""
    get_lesson(slug)
    found = LessonProgress.objects.filter(artisan=artisan, lesson=slug).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(artisan=artisan, lesson=slug)
    except IntegrityError:
        # Opened at the same moment in another tab.
        return LessonProgress.objects.get(artisan=artisan, lesson=slug)


def mark_finished(*, artisan: User, slug: str) -> LessonProgress:
    progress = mark_opened(artisan=artisan, slug=slug)
    if progress.finished_at is None:
        progress.finished_at = timezone.now()
        progress.save(update_fields=["finished_at"])
    return progress


def suggest(*, advisor: Advisor, artisan_id: int, slug: str) -> LessonSuggestion:
    """The advisor suggests a lesson to an artisan of their portfolio (NotFollowed otherwise)."""
    get_lesson(slug)
    with transaction.atomic():
        if not Assignment.objects.filter(
            advisor=advisor, artisan_id=artisan_id, ended_at__isnull=True
        ).exists():
            raise NotFollowed()
        suggestion = LessonSuggestion.objects.create(
            artisan_id=artisan_id, advisor=advisor, lesson=slug
        )
        audit.record(
            actor=advisor.user,
            action="support.lesson_suggested",
            target=suggestion,
            data={"artisan": artisan_id, "lesson": slug},
        )
        return suggestion
