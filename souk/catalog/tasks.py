"""Background work of the catalog: product photo renditions."""

from __future__ import annotations

from django_tasks import task

from souk.catalog.events import ListingPagesChanged
from souk.core import events
from souk.core.gallery import tasks as gallery_tasks


@task()
def generate_photo_renditions(photo_id: int) -> bool:
    """Make the 320/640/1280 px WebP copies of a product photo (souk.core.gallery); False when
    it was removed meanwhile.

    No retry: a failure leaves the photo without renditions, shown as a placeholder, and a
    re-upload queues it again.
    """
    if gallery_tasks.make_renditions_of("catalog.ProductPhoto", photo_id) is None:
        return False
    # Pages kept in the cache show the placeholder: a new version, so they show the photo.
    events.publish(ListingPagesChanged())
    return True
