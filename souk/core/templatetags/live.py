"""`{% live "app/_part.html" name=value %}`: a part of a page rendered for each visitor.

On a page kept by souk.core.pagecache it leaves a marker, and the part is rendered for every
request from `pagecache.live_context` (request, user, perms, csrf_token, currency, currencies)
and its own arguments (simple values: numbers, strings). Elsewhere it renders the part in place,
like `{% include %}`, with the page's context and the arguments, or, for a part
`pagecache.LIVE_KEYS` keys (the header's, per account and state), from the same kept renders a
kept page uses: the page's context is not read, only the visitor's.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from souk.core.pagecache import COLLECTOR_ATTRIBUTE, render_kept_part

register = template.Library()


@register.simple_tag(takes_context=True)
def live(context: template.Context, template_name: str, **arguments: Any) -> SafeString:
    request = context.get("request")
    collector = getattr(request, COLLECTOR_ATTRIBUTE, None)
    if collector is not None:
        return mark_safe(str(collector.add(template_name, arguments)))  # noqa: S308  (our marker)
    kept = render_kept_part(request, template_name, arguments) if request is not None else None
    if kept is not None:
        return mark_safe(kept)  # noqa: S308  (a rendered template)
    part: template.Template = get_template(template_name).template  # type: ignore[attr-defined]  # the Django engine's
    with context.push(**arguments):
        return mark_safe(str(part.render(context)))  # noqa: S308  (a rendered template)
