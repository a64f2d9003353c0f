"""A small closed-loop HTTP load generator: N threads, each with its own keep-alive
`http.client` connection, requesting URLs from a list until a deadline or a request count.

Closed loop: each client sends its next request when the previous answer has arrived, so the
figures are latency under N requests in flight, and the throughput that gives. gunicorn's sync
workers close the connection after every response; the client then reconnects (counted in the
latency, as a browser without keep-alive would see it).
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    status: int
    size: int


@dataclass(slots=True)
class LoadResult:
    label: str
    clients: int
    wall_seconds: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.samples)

    @property
    def errors(self) -> int:
        """Answers other than 200 (a redirect counts: every URL given should answer 200)."""
        return sum(1 for sample in self.samples if sample.status != 200)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.wall_seconds if self.wall_seconds else 0.0

    def percentile_ms(self, percent: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        ordered = sorted(sample.seconds for sample in self.samples)
        if not ordered:
            return 0.0
        rank = max(1, round(percent / 100 * len(ordered) + 0.5 - 1e-9))
        return ordered[min(rank, len(ordered)) - 1] * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(s.seconds for s in self.samples) * 1000 if self.samples else 0.0


def run_load(
    *,
    label: str,
    host: str,
    port: int,
    paths: Sequence[str],
    clients: int,
    duration_seconds: float | None = None,
    total_requests: int | None = None,
    seed: int = 0,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Request `paths` (each client in its own shuffled order, repeating) until the duration
    is over or `total_requests` are answered, whichever is given."""
    if (duration_seconds is None) == (total_requests is None):
        raise ValueError("Give a duration or a request count.")
    result = LoadResult(label=label, clients=clients, wall_seconds=0.0)
    lock = threading.Lock()
    remaining = [total_requests if total_requests is not None else -1]
    started = time.perf_counter()
    deadline = started + duration_seconds if duration_seconds is not None else None

    def take_turn() -> bool:
        if deadline is not None:
            return time.perf_counter() < deadline
        with lock:
            if remaining[0] <= 0:
                return False
            remaining[0] -= 1
            return True

    def client(number: int) -> None:
        # Synthetic load, not secrets: a seeded order per client keeps runs comparable.
        order = list(paths)
        random.Random(f"{seed}-{number}").shuffle(order)  # noqa: S311
        connection = http.client.HTTPConnection(host, port, timeout=60)
        samples: list[Sample] = []
        index = 0
        while take_turn():
            path = order[index % len(order)]
            index += 1
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                body = response.read()
                status = response.status
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                body, status = b"", 0
            samples.append(Sample(time.perf_counter() - began, status, len(body)))
        connection.close()
        with lock:
            result.samples.extend(samples)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_seconds = time.perf_counter() - started
    return result
