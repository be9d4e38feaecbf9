"""Thousands of generated YAML documents: `loads` succeeds or raises ConfigError.

Never another exception, and never the catch-all "internal error" line either:
every failure must be one the loader understood.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcsched.config import loads
from gcsched.config.problems import CODES
from gcsched.errors import ConfigError

KEYS = [
    "version",
    "org",
    "region",
    "policy",
    "audience_conflicts",
    "allow_overlap",
    "horizon_days",
    "max_change_fraction",
    "min_existing",
    "manage",
    "map_priority",
    "calendars",
    "schedules",
    "campaign",
    "sequence",
    "messaging_campaign",
    "time_zone",
    "priority",
    "audience",
    "name",
    "windows",
    "days",
    "start",
    "end",
    "every",
    "intervals",
    "from",
    "until",
    "count",
    "except",
    "include",
    "render",
    "pacing",
    "max_calls_per_agent",
    "outbound_line_count",
    "abandon_rate",
    "messages_per_minute",
    "webhooks",
    "url",
    "secret_env",
    "events",
    "retry",
    "allow_insecure_loopback",
    "to",
    "<<",
    "x-anchor",
]
WORDS = [
    "mon-fri",
    "fri-mon",
    "daily",
    "sat",
    "09:00",
    "17:00",
    "24:00",
    "9:30",
    "25:61",
    "2026-12-01",
    "2026-02-30",
    "2026-12-27T10:00",
    "2026-12-27T10:00:00Z",
    "America/Chicago",
    "Mars/Base",
    "UTC",
    "trim",
    "reject",
    "warn",
    "owned",
    "all",
    "https://hooks.example.com/x",
    "http://127.0.0.1/x",
    "http://[::ffff:10.0.0.1]/",
    "https://u:p@0x7f.1/",
    "whsec_abc",
    "GCSCHED_SECRET",
    "5s",
    "2h",
    "1d",
    "never",
    "schedule.created",
    "run.failed",
    "us-holidays",
    "recurrences",
    "intervals",
    "",
    "~",
    "null",
    "yes",
    "no",
    "on",
    ".inf",
    ".nan",
    "0x1F",
    "0o17",
    "1e400",
    "\u0000",
    "\ud7ff\ue000",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
    "🙂",
]

scalars = st.one_of(
    st.sampled_from(WORDS),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**40),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.text(max_size=12),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=6) | st.integers(),
            children,
            max_size=5,
        ),
    ),
    max_leaves=40,
)
SNIPPETS = [
    "version: 1\n",
    "schedules:\n",
    "  - campaign: A\n",
    "    time_zone: UTC\n",
    "    windows: [{days: daily, start: 9:00, end: 17:00}]\n",
    "a: &x [1, 2]\n",
    "b: *x\n",
    "c: *missing\n",
    "<<: *x\n",
    "d: !!python/object:os.system x\n",
    "e: !!binary aGk=\n",
    "f: !custom 1\n",
    "\tg: 1\n",
    "h: [[[[[[[[[[\n",
    "]]]\n",
    "i: {\n",
    "--- \n",
    "...\n",
    "j: |\n  text\n",
    "k: >-\n  folded\n",
    "? [1]\n: 2\n",
    "l: 99999999999999999999999999999999999999999999999999999\n",
    "m: 2026-13-45\n",
    "%YAML 1.1\n---\n",
    "n: 'unterminated\n",
    'o: "\\x00 \\ud800"\n',
    "p: &a [*a]\n",
    "q: &m {[1]: 2, ? {k: v} : 3}\nr: {<<: *m}\n",
    "    priority: 11\n",
    "    except: [nope]\n",
    "version: 1\nversion: 2\n",
]


BASE = {
    "version": 1,
    "policy": {"audience_conflicts": "trim", "allow_overlap": [["A", "B"]]},
    "calendars": {"hol": ["2026-12-25", {"from": "2026-12-31", "to": "2027-01-01"}]},
    "schedules": [
        {
            "campaign": "A",
            "time_zone": "America/Chicago",
            "until": "2026-12-31",
            "windows": [{"days": ["mon-fri"], "start": "09:00", "end": "17:00"}],
            "intervals": [{"start": "2026-12-27T10:00", "end": "2026-12-27T14:00"}],
            "except": ["hol", {"from": "2026-12-24T18:00", "to": "2026-12-26T08:00"}],
            "pacing": {"max_calls_per_agent": 3},
        }
    ],
    "webhooks": [{"url": "https://hooks.example.com/x", "secret_env": "S"}],
}


@st.composite
def mutations(draw: st.DrawFn) -> str:
    """The valid BASE document with a few values or keys replaced at random."""
    import copy

    document: Any = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        node = document
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            if isinstance(node, dict) and draw(st.booleans()):
                node[draw(st.sampled_from(KEYS))] = draw(documents)
            else:
                node[key] = draw(documents)
            break
    return _dump(document)


def _reasons(text: str) -> tuple[str, ...]:
    """The problem lines for `text`, or () when it loads (then it is version 1)."""
    try:
        loaded = loads(text, "fuzz.yaml")
    except ConfigError as exc:
        problems, caught = exc.problems, exc.reasons
        assert all(p.code in CODES for p in problems), problems
        return caught if caught else ("<a ConfigError without reasons>",)
    assert loaded.version == 1
    return ()


def _dump(value: Any) -> str:
    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except yaml.YAMLError:
        return "x: 1\n"


@settings(
    max_examples=1500,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.one_of(
        documents.map(_dump),
        mutations(),
        st.lists(st.sampled_from(SNIPPETS), max_size=8).map("".join),
    )
)
def test_loader_never_raises_anything_but_config_error(text: str) -> None:
    """Any text gives a ScheduleFile or a ConfigError of understood problems."""
    reasons = _reasons(text)
    for reason in reasons:
        assert reason.startswith("fuzz.yaml")
        assert "internal error" not in reason, reason


@settings(max_examples=500, derandomize=True, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    """Random bytes decoded as text are understood or refused cleanly."""
    reasons = _reasons(data.decode("utf-8", errors="surrogateescape"))
    assert all("internal error" not in r for r in reasons)
