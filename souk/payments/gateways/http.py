"""The one HTTP client of the gateways: explicit timeouts, bounded answers, our errors."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from urllib.parse import urlsplit

from souk.payments.gateways.base import GatewayError

TIMEOUT_SECONDS = 10
MAX_ANSWER_BYTES = 64 * 1024


def post(
    url: str, *, body: bytes, headers: Mapping[str, str], timeout: float = TIMEOUT_SECONDS
) -> tuple[int, bytes]:
    """POST `body` to `url`; the status and the answer (at most 64 KiB). Raises GatewayError
    when the host cannot be reached or does not answer in time (an HTTP error status is an
    answer, returned as such)."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise GatewayError(f"Not an HTTP address: {url!r}")
    # The scheme was checked above: only http(s) addresses from our settings reach here.
    request = urllib.request.Request(  # noqa: S310
        url, data=body, headers=dict(headers), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status), response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        return int(error.code), error.read(MAX_ANSWER_BYTES)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GatewayError(str(error)) from error
