"""Reviews pages: write or edit a review (the buyer), answer (the shop), report (anyone signed
in), the shop's reviews, and the moderators' queue."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from souk.accounts.models import User
from souk.core.gallery.errors import GalleryError
from souk.orders.models import OrderLine
from souk.reviews import errors, selectors, services
from souk.reviews.forms import AnswerForm, ModerationForm, ReportForm, ReviewForm
from souk.reviews.models import Review

MODERATION_TABS = ("reported", "hidden", "recent")


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def write(request: HttpRequest, line_id: int) -> HttpResponse:
    """Write a review of a piece received, or edit it within the edit window."""
    user = _account(request)
    try:
        line = selectors.get_own_line(user=user, order_line_id=line_id)
    except OrderLine.DoesNotExist as error:
        raise Http404 from error
    review = Review.objects.filter(order_line=line).first()
    order_url = reverse("orders:detail", kwargs={"reference": line.sub_order.order.reference})
    if review is None and not services.is_received(line.sub_order):
        raise errors.NotReceivedYet()
    if review is not None and not services.is_editable(review):
        raise errors.EditWindowClosed()
    initial = (
        {"stars": review.stars, "body": review.body, "language": review.language}
        if review
        else {"language": get_language()}
    )
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if review is None:
                services.write_review(
                    order_line_id=line.pk,
                    buyer=user,
                    stars=data["stars"],
                    body=data["body"],
                    language=data["language"],
                    photos=request.FILES.getlist("photos"),
                )
                messages.success(request, _("Thank you: your review is published."))
            else:
                services.edit_review(
                    review_id=review.pk,
                    buyer=user,
                    stars=data["stars"],
                    body=data["body"],
                    language=data["language"],
                )
                messages.success(request, _("Your review is changed."))
            return redirect(order_url + f"#parcel-{line.sub_order_id}")
        except (GalleryError, errors.TooManyPhotos) as error:
            # The photo is refused in place, the words kept; nothing was written.
            form.add_error(None, str(error.message))
    return render(
        request,
        "reviews/write.html",
        {
            "form": form,
            "line": line,
            "review": review,
            "order_url": order_url,
            "max_photos": services.MAX_PHOTOS,
            "edit_days": settings.SOUK_REVIEW_EDIT_DAYS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def answer(request: HttpRequest, review_id: int) -> HttpResponse:
    """The shop answers a review, once."""
    user = _account(request)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise errors.AnswerEmpty()
    services.answer_review(review_id=review_id, user=user, body=form.cleaned_data["body"])
    messages.success(request, _("Your answer is published."))
    return redirect(_back(request, reverse("reviews:shop_reviews")))


@login_required
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    """Any signed-in user reports a review to the moderators, once."""
    user = _account(request)
    try:
        review = Review.objects.select_related("product").get(pk=review_id, status="visible")
    except Review.DoesNotExist as error:
        raise Http404 from error
    product_url = reverse("catalog:detail", args=[review.product_id, review.product.slug])
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_review(
            review_id=review.pk,
            reporter=user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Thank you: a moderator will read this review."))
        return redirect(product_url + f"#review-{review.pk}")
    return render(
        request,
        "reviews/report.html",
        {"form": form, "review": review, "product_url": product_url},
        status=400 if form.errors else 200,
    )


@login_required
def shop_reviews(request: HttpRequest) -> HttpResponse:
    """The reviews of the shops the user manages, each with "Answer" until answered."""
    user = _account(request)
    page = Paginator(selectors.list_shop_reviews(user=user), 20).get_page(request.GET.get("page"))
    return render(request, "reviews/shop_reviews.html", {"page": page})


def _require_moderator(request: HttpRequest) -> User:
    user = _account(request)
    if not user.has_perm(services.MODERATE_PERMISSION):
        raise PermissionDenied
    return user


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Reported reviews (by default), hidden ones, or the latest."""
    _require_moderator(request)
    tab = request.GET.get("tab", "reported")
    if tab not in MODERATION_TABS:
        tab = "reported"
    page = Paginator(selectors.list_for_moderation(tab=tab), 30).get_page(request.GET.get("page"))
    tabs = [("reported", _("Reported")), ("hidden", _("Hidden")), ("recent", _("Latest"))]
    return render(
        request, "reviews/moderation_queue.html", {"page": page, "tab": tab, "tabs": tabs}
    )


@login_required
@require_POST
def moderate(request: HttpRequest, review_id: int) -> HttpResponse:
    """Hide, restore or keep a review, with a reason (audited)."""
    moderator = _require_moderator(request)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        raise errors.ReasonRequired()
    action = form.cleaned_data["action"]
    reason = form.cleaned_data["reason"]
    use_case = {
        "hide": services.hide_review,
        "restore": services.restore_review,
        "keep": services.keep_review,
    }[action]
    use_case(review_id=review_id, moderator=moderator, reason=reason)
    messages.success(request, _("The review is updated."))
    return redirect(_back(request, reverse("reviews:moderation_queue")))
