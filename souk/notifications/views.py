"""Notification pages: the list of one's own notifications, opening one, marking all read.

Another person's notification is a 404: its existence is not revealed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from souk.accounts.models import User
from souk.notifications import selectors, services
from souk.notifications.models import Notification

NOTIFICATIONS_PER_PAGE = 30


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    user = _account(request)
    page = Paginator(selectors.list_notifications(user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of the user's notifications read and open its page (else back to the list)."""
    user = _account(request)
    try:
        notification = services.mark_read(user=user, notification_id=notification_id)
    except Notification.DoesNotExist as error:
        raise Http404 from error
    # The link was written by our code, but only a path on this site is followed.
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts=None, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark all the user's notifications read."""
    user = _account(request)
    services.mark_all_read(user=user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")
