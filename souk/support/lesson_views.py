"""The lessons' pages (docs/support.md): the list with the artisan's progress and what is
suggested, one lesson (its opening is kept), "I finished", and the advisor's suggestion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from souk.accounts.models import User
from souk.support import lessons, selectors
from souk.support.assist_views import require_advisor
from souk.support.errors import LessonNotFound, NotFollowed
from souk.support.models import STAGE_DONE


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
@require_safe
def lesson_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    progress = selectors.get_progress(user)
    stage = progress.stage if progress else STAGE_DONE
    by_slug = lessons.progress_of(user.pk)
    rows = [(lesson, by_slug.get(lesson.slug)) for lesson in lessons.list_lessons()]
    titles = {lesson.slug: lesson.title for lesson, _row in rows}
    return render(
        request,
        "support/lessons.html",
        {
            "rows": rows,
            "suggested": [
                (slug, titles[slug], advisor)
                for slug, advisor in lessons.suggested(artisan_id=user.pk, stage=stage)
            ],
        },
    )


@login_required
@require_safe
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    try:
        lesson = lessons.get_lesson(slug)
    except LessonNotFound as error:
        raise Http404 from error
    progress = lessons.mark_opened(artisan=user, slug=slug)
    return render(request, "support/lesson.html", {"lesson": lesson, "progress": progress})


@login_required
@require_POST
def lesson_finished(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    try:
        lessons.mark_finished(artisan=user, slug=slug)
    except LessonNotFound as error:
        raise Http404 from error
    messages.success(request, _("Well done: this lesson is finished."))
    return redirect("support:lessons")


@login_required
@require_POST
def suggest_lesson(request: HttpRequest, artisan_id: int) -> HttpResponse:
    """The advisor's "suggest this lesson" on an artisan of their portfolio."""
    advisor = require_advisor(request)
    try:
        lessons.suggest(advisor=advisor, artisan_id=artisan_id, slug=request.POST.get("lesson", ""))
    except NotFollowed as error:
        raise Http404 from error
    except LessonNotFound:
        messages.error(request, _("Choose a lesson."))
    else:
        messages.success(request, _("The lesson is suggested to the artisan."))
    return redirect("support:portfolio_artisan", artisan_id=artisan_id)
