"""Assisted mode and lessons on support's pages: the artisan's panel (answer a request, end the
permission, what advisors did for them, lessons) and the advisor's panel on a portfolio row."""

from __future__ import annotations

from typing import Any

from django import template

from souk.support import assist_selectors, lessons
from souk.support.assist_forms import AskForm, CodeForm
from souk.support.models import Progress

register = template.Library()


@register.inclusion_tag("support/_assist_artisan.html", takes_context=True)
def assist_for_artisan(context: dict[str, Any], progress: Progress) -> dict[str, Any]:
    titles = {lesson.slug: lesson.title for lesson in lessons.list_lessons()}
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "open": assist_selectors.open_assistance(progress.artisan_id),
        "record": assist_selectors.assisted_record(progress.artisan_id),
        "suggested": [
            (slug, titles[slug], advisor)
            for slug, advisor in lessons.suggested(
                artisan_id=progress.artisan_id, stage=progress.stage
            )
        ],
    }


@register.inclusion_tag("support/_assist_advisor.html", takes_context=True)
def assist_for_advisor(context: dict[str, Any], progress: Progress) -> dict[str, Any]:
    done = lessons.progress_of(progress.artisan_id)
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "progress": progress,
        "open": assist_selectors.open_assistance(progress.artisan_id),
        "record": assist_selectors.assisted_record(progress.artisan_id, limit=10),
        "ask_form": AskForm(),
        "code_form": CodeForm(),
        "lessons": [(lesson, done.get(lesson.slug)) for lesson in lessons.list_lessons()],
    }
