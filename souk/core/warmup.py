"""What a server process prepares at start-up, so that the first pages it serves do not pay it
(souk/wsgi.py calls `warm_up` before `gc.freeze()`).

Django and babel build some things lazily, once per process: a template's compiled nodes and
those of the templates it extends and includes; and once per process and language the URL
resolver's tables, the translation catalogue, the number format modules, babel's CLDR data of a
locale. The first product page of a server process took some 150 ms, and the first in each
other language 20 to 40 ms more than the next ones (10 ms); with four languages and a worker per
core that was a few pages in every hundred, enough to lift the 95th percentile.

Apps add the pages worth having ready to `TEMPLATES` and what they build per language to
`PER_LANGUAGE` (a function given the language code, called with that language active), in their
AppConfig.ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.conf import settings
from django.template import Node, Template
from django.template.base import FilterExpression
from django.template.library import InclusionNode, SimpleNode
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import formats, translation

from souk.core.money import Money, format_money_for_language
from souk.core.templatetags.live import live

TEMPLATES: list[str] = []
PER_LANGUAGE: list[Callable[[str], None]] = []


def warm_up() -> None:
    """Compile the TEMPLATES and what they use, and build for every language of the site what
    its first request would otherwise build."""
    compiled: set[str] = set()
    for name in TEMPLATES:
        _compile(name, compiled)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            _prepare_reverse()
            formats.localize(1234.5)
            formats.get_format("DATE_FORMAT")
            for currency in settings.SOUK_CURRENCIES:
                format_money_for_language(Money(123456, currency), code)
            for prepare in PER_LANGUAGE:
                prepare(code)


def _prepare_reverse() -> None:
    """The resolver compiles its patterns and fills its reverse table for the active language on
    first use; reverse() in a namespace then builds and fills a resolver of its own for that
    namespace and language. A name no namespace has does all that, then fails."""
    for namespace in get_resolver().namespace_dict:
        try:
            reverse(f"{namespace}:-")
        except NoReverseMatch:
            continue


def _compile(name: str, compiled: set[str]) -> None:
    """Load `name` through the cached loader, then the templates it names with a constant:
    its parent, its includes, inclusion tags' templates and live parts."""
    if name in compiled:
        return
    compiled.add(name)
    loaded: Template = get_template(name).template  # type: ignore[attr-defined]  # the Django engine's
    for node in loaded.nodelist.get_nodes_by_type(Node):
        for used in _named(node):
            _compile(used, compiled)


def _named(node: Node) -> Iterator[str]:
    if isinstance(node, ExtendsNode):
        yield from _constant(node.parent_name)
    elif isinstance(node, IncludeNode):
        yield from _constant(node.template)
    elif isinstance(node, InclusionNode) and isinstance(node.filename, str):
        yield node.filename
    elif isinstance(node, SimpleNode) and node.func is live and node.args:
        yield from _constant(node.args[0])


def _constant(expression: object) -> Iterator[str]:
    """The template name a tag gives as a quoted string (not a variable)."""
    if (
        isinstance(expression, FilterExpression)
        and not expression.filters
        and isinstance(expression.var, str)
    ):
        yield str(expression.var)
