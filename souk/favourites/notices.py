"""What favourites tell buyers through souk.notifications: a saved piece back in stock, or its
price dropped. In the buyer's language, prices in MAD and as an estimate in their currency; at
most one per piece, kind and day (SentNotice); never to a buyer who refused them."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import timezone, translation

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.core import fx
from souk.core.money import Money, format_money_for_language
from souk.favourites.models import Favourite, NoticeKind, NoticeOptOut, SentNotice
from souk.favourites.selectors import PieceState
from souk.notifications import services as notifications
from souk.notifications.models import Channel

# The page and the email; a text message about a price is not worth its cost to the buyer.
CHANNELS = frozenset({Channel.EMAIL})


def _price(amount: int, *, currency: str, language: str) -> str:
    """`amount` MAD centimes as the buyer reads prices: "≈ $40.00 (MAD400.00)", or MAD alone."""
    mad = Money(amount, "MAD")
    charged = format_money_for_language(mad, language)
    if not currency or currency == "MAD":
        return charged
    try:
        estimate = fx.convert_from_mad(mad, currency=currency).amount
    except fx.RateUnavailable:
        return charged
    return f"≈ {format_money_for_language(estimate, language)} ({charged})"


def tell_buyers(
    *, product: Product, kind: NoticeKind, state: PieceState, before_amount: int = 0
) -> int:
    """Notify every active buyer who saved `product` and wants notices, once a day per kind;
    returns how many were told. Called inside the look's transaction: the emails go once it
    commits."""
    refused = NoticeOptOut.objects.values("user_id")
    buyers = (
        User.objects.filter(
            is_active=True,
            pk__in=Favourite.objects.filter(product=product).values("user_id"),
        )
        .exclude(pk__in=refused)
        .order_by("pk")
    )
    today = timezone.localdate()
    path = reverse("catalog:detail", args=[product.pk, product.slug])
    told = 0
    for buyer in buyers:
        _notice, created = SentNotice.objects.get_or_create(
            user=buyer, product=product, kind=kind, day=today
        )
        if not created:
            continue
        language = buyer.preferred_language or settings.LANGUAGE_CODE
        currency = buyer.preferred_currency or "MAD"
        with translation.override(language):
            title = product.title
            favourites_path = reverse("favourites:list")
        context = {
            "piece": title,
            "price": _price(state.lowest_price_amount, currency=currency, language=language),
            "starting": state.has_variants,
            "link": notifications.absolute_url(translate_url(path, language)),
            "favourites_link": notifications.absolute_url(favourites_path),
        }
        if kind == NoticeKind.PRICE_DROPPED:
            context["before"] = _price(before_amount, currency=currency, language=language)
            context["saved"] = _price(
                before_amount - state.lowest_price_amount, currency=currency, language=language
            )
        notifications.notify(
            recipient=buyer,
            kind=f"favourite_{kind}",
            context=context,
            url=path,
            channels=CHANNELS,
        )
        told += 1
    return told
