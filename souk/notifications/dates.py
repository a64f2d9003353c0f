"""The one way notices write a moment: in the recipient's language and in Morocco's time.

`formats.date_format` does not convert an aware datetime to the current time zone (templates
do), so a notice that formatted a stored datetime directly showed the UTC hour.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone, translation


def moment_text(moment: datetime.datetime | None, language: str) -> str:
    """`moment` (now when None) as DATETIME_FORMAT of `language`, in settings.TIME_ZONE."""
    local = timezone.localtime(moment)
    with translation.override(language):
        return str(formats.date_format(local, "DATETIME_FORMAT"))
