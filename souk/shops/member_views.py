"""The members pages of a cooperative's or company's shop, and the invitee's answer.

Same rules as views.py: parse, authorise, call one use case (souk/shops/members.py), render; a
shop or an invitation someone may not see is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from souk.shops import members as members_services
from souk.shops import selectors
from souk.shops.errors import ShopError
from souk.shops.forms import MemberForm
from souk.shops.models import ShopInvitation, ShopMember
from souk.shops.views import _account, _managed_shop


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The shop's members and the invitations waiting for an answer; inviting someone."""
    user, shop = _managed_shop(request, shop_id)
    if not shop.has_members:
        raise Http404
    form = MemberForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            invitation = members_services.invite_shop_member(
                shop=shop, actor=user, **form.cleaned_data
            )
        except ShopError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(
                request,
                _(
                    "The invitation is sent to %(name)s. They become a member once they "
                    "accept it from their account."
                )
                % {"name": invitation.invitee.full_name or invitation.invitee.login_identifier},
            )
            return redirect("shops:members", shop_id=shop.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "shops/members.html",
        {
            "shop": shop,
            "form": form,
            "members": selectors.list_shop_members(shop),
            "invitations": selectors.list_shop_invitations(shop),
            "owner_id": shop.register_entry.claimed_by_id,
        },
        status=status,
    )


@login_required
@require_POST
def remove_member(request: HttpRequest, shop_id: int, member_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    try:
        members_services.remove_shop_member(shop=shop, actor=user, member_id=member_id)
    except ShopMember.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The member is removed."))
    return redirect("shops:members", shop_id=shop.pk)


@login_required
@require_POST
def cancel_invitation(request: HttpRequest, shop_id: int, invitation_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    try:
        members_services.cancel_shop_invitation(shop=shop, actor=user, invitation_id=invitation_id)
    except ShopInvitation.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The invitation is cancelled."))
    return redirect("shops:members", shop_id=shop.pk)


@login_required
@require_POST
def answer_invitation(request: HttpRequest, invitation_id: int, answer: str) -> HttpResponse:
    """The invitee accepts or declines, from their account page. Someone else's invitation,
    or one already answered, is a 404."""
    user = _account(request)
    try:
        if answer == "accept":
            member = members_services.accept_shop_invitation(
                invitation_id=invitation_id, invitee=user
            )
            messages.success(
                request,
                _("You are now a member of %(shop)s.") % {"shop": member.shop.display_name},
            )
        else:
            members_services.decline_shop_invitation(invitation_id=invitation_id, invitee=user)
            messages.success(request, _("The invitation is declined."))
    except ShopInvitation.DoesNotExist as error:
        raise Http404 from error
    return redirect("accounts:profile")
