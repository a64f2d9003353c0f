"""Random order lifecycles (lifecycles.py) through the real services and HTTP callbacks; after
each one the ledger is checked and the money compared with what the lifecycle moved
(lifecycle_checks.py). Issue #14.

SOUK_LIFECYCLE_SEED=<seed> runs that one lifecycle alone (its moves are in the failure);
SOUK_LIFECYCLES (300) and SOUK_LIFECYCLE_FIRST_SEED (14,000) choose the others. Every finding
names its seed. bench/bench_lifecycles.py runs the same lifecycles by the ten thousand.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

from souk.orders.tests.lifecycle_checks import Finding
from souk.orders.tests.lifecycle_world import make_world
from souk.orders.tests.lifecycles import run_lifecycle

FIRST_SEED = int(os.environ.get("SOUK_LIFECYCLE_FIRST_SEED", "14000"))
COUNT = int(os.environ.get("SOUK_LIFECYCLES", "300"))


def summarize(findings: list[Finding], *, shown_per_rule: int = 3) -> str:
    """One paragraph per broken rule: how many lifecycles broke it and the first few findings."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    lines = []
    for rule, found in sorted(by_rule.items()):
        seeds = sorted({finding.seed for finding in found})
        lines.append(f"{rule}: {len(seeds)} lifecycles, seeds {seeds[:10]}")
        lines += [f"    {finding}" for finding in found[:shown_per_rule]]
    return "\n".join(lines)


@pytest.mark.django_db
def test_random_lifecycles_keep_the_ledger_and_the_money_right() -> None:
    # given shops, works, buyers and moderators shared by every lifecycle
    world = make_world()
    single = os.environ.get("SOUK_LIFECYCLE_SEED")
    seeds = [int(single)] if single else range(FIRST_SEED, FIRST_SEED + COUNT)
    # when each lifecycle runs (alone: rolled back after its checks)
    findings: list[Finding] = []
    moves = ""
    for seed in seeds:
        found, trace = run_lifecycle(world, seed)
        findings += found
        if single:
            moves = "\nmoves:\n  " + "\n  ".join(trace)
    # then nothing broke
    assert not findings, (
        f"{len({finding.seed for finding in findings})} of {len(seeds)} lifecycles broke a rule "
        f"(rerun one with SOUK_LIFECYCLE_SEED=<seed>):\n{summarize(findings)}{moves}"
    )
