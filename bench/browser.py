"""A small scripted browser for the benchmarks: one keep-alive `http.client` connection, a
cookie jar, redirects followed like a browser (303/302 → GET), and the forms of a page read
as a browser would submit them (hidden and text inputs, checked boxes and radios, selected
options), so a load generator can walk a journey of forms over real HTTP."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass(slots=True)
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: unescape(value or "") for name, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(
                    attributes.get("action", ""),
                    attributes.get("method", "get").lower(),
                    attributes=attributes,
                )
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    form.fields[name] = attributes.get("value", "on")
            elif kind not in ("submit", "button", "file", "image"):
                form.fields[name] = attributes.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = value
                form.fields.setdefault(self._select, value)
            if "selected" in attributes and not self._select_chosen:
                form.fields[self._select] = value
                self._select_chosen = True
        elif tag == "textarea" and name:
            form.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def read_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class StepFailed(Exception):
    """A page answered something other than what the journey expects."""


@dataclass(slots=True)
class Page:
    status: int
    url: str
    body: str
    seconds: float

    def form(self, *, action_contains: str = "", marker: str = "", has_field: str = "") -> Form:
        for form in read_forms(self.body):
            if action_contains and action_contains not in form.action:
                continue
            if marker and marker not in form.attributes:
                continue
            if has_field and has_field not in form.fields:
                continue
            return form
        wanted = action_contains or marker or has_field
        raise StepFailed(f"no form ({wanted}) on {self.url} ({self.status})")


@dataclass
class Browser:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    request_seconds: float = 0.0

    def __post_init__(self) -> None:
        self._connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def close(self) -> None:
        self._connection.close()

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        for attempt in (1, 2):
            try:
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A keep-alive connection the server closed: open a new one, once.
                self._connection.close()
                if attempt == 2:
                    raise
        if response.will_close:
            self._connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, cookie = pair.partition("=")
                if "max-age=0" in value.lower() or "expires=thu, 01 jan 1970" in value.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = cookie.strip()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, *, follow: bool = True
    ) -> Page:
        began = time.perf_counter()
        body = urlencode(data).encode() if data is not None else None
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "souk-bench"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django's CSRF check of a POST compares the Origin with the host.
            headers["Origin"] = f"http://{self.host}:{self.port}"
        url = path
        for _hop in range(5):
            self.requests += 1
            status, response_headers, raw = self._send(method, url, body, dict(headers))
            if follow and status in (301, 302, 303, 307, 308) and "location" in response_headers:
                location = urlsplit(response_headers["location"])
                url = location.path + (f"?{location.query}" if location.query else "")
                if status in (301, 302, 303):
                    method, body = "GET", None
                    headers.pop("Content-Type", None)
                continue
            seconds = time.perf_counter() - began
            self.request_seconds += seconds
            return Page(status, url, raw.decode("utf-8", "replace"), seconds)
        raise StepFailed(f"too many redirects from {path}")

    def get(self, path: str) -> Page:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str], *, follow: bool = True) -> Page:
        return self.request("POST", path, data, follow=follow)
