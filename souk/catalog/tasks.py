"""Background work of the catalog: photo renditions."""

from __future__ import annotations

from django_tasks import task

from souk.catalog import renditions
from souk.catalog.events import ListingPagesChanged
from souk.catalog.models import ProductPhoto
from souk.core import events


@task()
def generate_photo_renditions(photo_id: int) -> bool:
    """Make the 320/640/1280 px WebP copies of a photo; False when it was removed meanwhile.

    No retry: a failure leaves the photo without renditions, shown as a placeholder, and a
    re-upload queues it again.
    """
    photo = ProductPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return False
    renditions.generate_renditions(photo)
    # Pages kept in the cache show the placeholder: a new version, so they show the photo.
    events.publish(ListingPagesChanged())
    return True
