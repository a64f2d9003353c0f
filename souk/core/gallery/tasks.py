"""Background work of the gallery: the renditions of any gallery photo, named by model label."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task

from souk.core.gallery import renditions
from souk.core.gallery.models import GalleryPhoto


def make_renditions_of(model_label: str, photo_id: int) -> GalleryPhoto | None:
    """Make the renditions of the photo `photo_id` of `model_label` ("shops.ShopPhoto");
    None when it was removed meanwhile. Apps whose task does more start from this."""
    model = apps.get_model(model_label)
    if not issubclass(model, GalleryPhoto):
        raise TypeError(f"{model_label} is not a gallery photo")
    photo: GalleryPhoto | None = model._default_manager.filter(pk=photo_id).first()
    if photo is None:
        return None
    return renditions.generate_renditions(photo)


@task()
def generate_photo_renditions(model_label: str, photo_id: int) -> bool:
    """Make the WebP copies of a photo; False when it was removed meanwhile.

    No retry: a failure leaves the photo without renditions, shown as it was stored (or as a
    placeholder), and a re-upload queues it again.
    """
    return make_renditions_of(model_label, photo_id) is not None
