"""The 24-month sales chart, drawn on the server as SVG (no script, no outside request).

Bars are proportional to each month's sales; the tallest month is labelled with its amount.
In a right-to-left language the months run from right to left, like the table beside it. The
chart is an image with a title for screen readers, which read the table of the same figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 480
HEIGHT = 200
TOP = 24
BOTTOM = 28
GAP = 4


def sales_chart(
    *,
    months: Sequence[datetime.date],
    amounts: Sequence[int],
    title: str,
    peak_label: str,
    right_to_left: bool,
) -> SafeString:
    """An SVG bar chart of `amounts` (one per month); `peak_label` is the tallest's amount."""
    count = len(months)
    slot = WIDTH / count
    tallest = max(amounts) if amounts and max(amounts) > 0 else 1
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    labels = []
    peak_x = peak_y = 0.0
    for index, (month, amount) in enumerate(zip(months, amounts, strict=True)):
        position = count - 1 - index if right_to_left else index
        x = position * slot + GAP / 2
        height = usable * amount / tallest
        y = TOP + usable - height
        bars.append((f"{x:.1f}", f"{y:.1f}", f"{slot - GAP:.1f}", f"{height:.1f}"))
        if amount == tallest and amount > 0:
            peak_x, peak_y = x + (slot - GAP) / 2, y
        if month.month in (1, 4, 7, 10):
            labels.append((f"{x + (slot - GAP) / 2:.1f}", date_format(month, "M y")))
    return format_html(
        '<svg class="sales-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="sales-chart-'
        'title" preserveAspectRatio="xMidYMid meet"><title id="sales-chart-title">{}</title>'
        '<line x1="0" y1="{}" x2="{}" y2="{}" class="sales-chart__axis"/>{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        title,
        TOP + usable,
        WIDTH,
        TOP + usable,
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="sales-chart__bar"/>',
            bars,
        ),
        format_html_join(
            "",
            '<text x="{}" y="' + str(HEIGHT - 8) + '" text-anchor="middle" '
            'class="sales-chart__label">{}</text>',
            labels,
        ),
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="sales-chart__peak">{}</text>',
            f"{min(max(peak_x, 40), WIDTH - 40):.1f}",
            f"{max(peak_y - 6, 14):.1f}",
            peak_label,
        )
        if peak_label and max(amounts, default=0) > 0
        else "",
    )
