"""The Save buttons filled into a page (souk/favourites/live.py): each as render_button
writes it for the visitor, whatever its kind, saved or not, named or not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from souk.catalog.tests.factories import make_active_product
from souk.favourites import live
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def test_filled_buttons_are_those_render_button_writes(client):
    # given: three pieces and their shop, the second piece saved by the visitor
    shop = make_approved_shop()
    pieces = [make_active_product(shop=shop, title_fr=f"Bol {n} & co") for n in range(3)]
    client.post(reverse("favourites:save", args=["piece", pieces[1].pk]))
    request = client.get(reverse("web:home") + "?q=a&b=<c>").wsgi_request
    named = [("piece", piece.pk, f"Bol {n} &amp; co") for n, piece in enumerate(pieces)]
    wanted = [*named, ("piece", pieces[0].pk, ""), ("shop", shop.pk, "Atelier")]
    content = "".join(
        f'<template data-favourite="{kind}:{pk}" data-name="{name}"></template><hr>'
        for kind, pk, name in wanted
    )
    # when
    filled = live.fill(request, content.encode()).decode()
    # then
    expected = "".join(
        live.render_button(
            request, kind=kind, target_id=pk, name=name, next_path=request.get_full_path()
        )
        + "<hr>"
        for kind, pk, name in wanted
    )
    assert _TOKEN.sub("", filled) == _TOKEN.sub("", expected)
    assert filled.count("favourite--saved") == 1
    assert len(set(_TOKEN.findall(filled))) == 1
