"""The parts of a gallery's pages every app's views share: the photos page with its upload
form, and what the move and drag-to-reorder forms post. The app's views authorise, then call
these with their own use cases and addresses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.contrib import messages
from django.core.files import File
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from souk.core.errors import DomainError
from souk.core.gallery.errors import PhotoOrderMismatch
from souk.core.gallery.forms import PhotoForm
from souk.core.gallery.pages import GalleryPage


class PageOfForm(Protocol):
    """Builds the gallery's page around its upload form (gallery_page with the rest bound)."""

    def __call__(self, *, form: PhotoForm) -> GalleryPage: ...


def photos_page(
    request: HttpRequest,
    *,
    template_name: str,
    context: Mapping[str, Any],
    gallery: PageOfForm,
    add_photo: Callable[[File[bytes], str], object],
    done_url: str,
) -> HttpResponse:
    """The photos page (GET) and its upload (POST): `add_photo(upload, alt_text)` adds the
    photo, then the page is shown again from `done_url`; a refusal is shown on the form with
    its status. `gallery(form=form)` builds what templates/gallery/_photos.html shows."""
    form = PhotoForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            add_photo(form.cleaned_data["image"], form.cleaned_data["alt_text"])
        except DomainError as refusal:
            form.add_error("image", str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The photo is added."))
            return redirect(done_url)
    elif request.method == "POST":
        status = 400
    return render(request, template_name, {**context, "gallery": gallery(form=form)}, status=status)


def posted_order(
    request: HttpRequest, *, mismatch: type[DomainError] = PhotoOrderMismatch
) -> list[int]:
    """The order photo_order.js posts: `order=<id>` repeated, cover first; `mismatch` for a
    value that is not an id."""
    try:
        return [int(value) for value in request.POST.getlist("order")]
    except ValueError as error:
        raise mismatch() from error


def posted_offset(request: HttpRequest) -> int:
    """-1 for the "Move earlier" button, +1 for "Move later"."""
    return -1 if request.POST.get("direction") == "up" else 1
