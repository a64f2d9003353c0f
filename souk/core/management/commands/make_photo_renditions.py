"""Make the missing renditions of gallery photos: those stored before their gallery made them
(shop photos added before shops shared the gallery), or whose task failed."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.core.gallery import renditions
from souk.core.gallery.models import GalleryPhoto


class Command(BaseCommand):
    help = "Make the WebP renditions of gallery photos that have none (e.g. shops.ShopPhoto)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model_labels", nargs="+", metavar="app_label.Model")

    def handle(self, *args: Any, **options: Any) -> None:
        for label in options["model_labels"]:
            try:
                model = apps.get_model(label)
            except (LookupError, ValueError) as error:
                raise CommandError(f"{label}: no such model") from error
            if not issubclass(model, GalleryPhoto):
                raise CommandError(f"{label} is not a gallery photo")
            made = 0
            # One photo at a time: a stop midway leaves the rest for the next run.
            for photo in model._default_manager.filter(is_ready=False).order_by("pk").iterator():
                renditions.generate_renditions(photo)
                made += 1
            self.stdout.write(f"{label}: renditions made for {made} photo(s).")
