"""Environments: one schedule file for several orgs (`environments:`, `--env NAME`).

The file names each org once (`environments: {dev: {region: ...}, prod: {...}}`);
a schedule's `envs: [prod]` limits where it applies. Selecting an environment
gives the file as that org sees it: its `policy` keys merged over the file's,
its `from`/`until` for every schedule (an `until` replaces a `count`), its
`pacing` keys over each schedule's (those that fit the target), and only the
schedules whose `envs` name it. Positions stay those of the file: a schedule
left out keeps its index, so every message still points at the right line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gcsched.config.problems import Problems
from gcsched.config.yaml_source import Path

__all__ = [
    "ALL",
    "Selected",
    "check_envs",
    "check_names",
    "env_names",
    "merged_policy",
    "run_key",
    "select",
]

ALL = "all"
"""`--env all`: every environment (plan only)."""

_VOICE = ("max_calls_per_agent", "outbound_line_count", "abandon_rate")
_FITS: dict[str, tuple[str, ...]] = {
    "campaign": _VOICE,
    "messaging_campaign": ("messages_per_minute",),
    "sequence": (),
}


_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def check_names(raw: Mapping[Any, Any], problems: Problems) -> None:
    """Environment names are slugs, and `all` is reserved."""
    found = raw.get("environments")
    if not isinstance(found, Mapping):
        return
    for name in found:
        if name == ALL:
            problems.add(
                ("environments", name),
                "`all` is reserved (`plan --env all` plans every environment)",
                key=True,
                code="bad_environment",
            )
        elif isinstance(name, str) and not _NAME.fullmatch(name):
            problems.add(
                ("environments", name),
                f"environment name {name!r}: use 1-40 lowercase letters, digits, "
                "- and _, starting with a letter or digit",
                key=True,
                code="bad_environment",
            )


def env_names(raw: Mapping[Any, Any]) -> tuple[str, ...]:
    """The environment names the file writes, in order (none: no environments)."""
    found = raw.get("environments")
    if not isinstance(found, Mapping):
        return ()
    return tuple(name for name in found if isinstance(name, str))


@dataclass(frozen=True, slots=True)
class Selected:
    """One environment of a file, with what it overrides."""

    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    def text(self, key: str) -> str | None:
        """A text setting (`region`, `api_url`, `org_id`), None when not given."""
        value = self.settings.get(key)
        return value if isinstance(value, str) and value.strip() else None

    def entry(self, entry: Any) -> Any:
        """A `schedules[]` entry as this environment sees it."""
        if not isinstance(entry, dict):
            return entry
        out = dict(entry)
        if "from" in self.settings:
            out["from"] = self.settings["from"]
        if "until" in self.settings:
            out["until"] = self.settings["until"]
            out.pop("count", None)
        pacing = self.settings.get("pacing")
        kind = next((k for k in _FITS if k in entry), None)
        if isinstance(pacing, Mapping) and kind is not None:
            fitting = {k: v for k, v in pacing.items() if k in _FITS[kind]}
            if fitting:
                own = entry.get("pacing")
                out["pacing"] = {**(own if isinstance(own, dict) else {}), **fitting}
        return out

    def applies(self, envs: list[str] | None) -> bool:
        """Whether a schedule with `envs:` (None: every one) applies here."""
        return envs is None or self.name in envs


def select(raw: Mapping[Any, Any], name: str, problems: Problems) -> Selected | None:
    """Environment `name` of the file, or None (with a problem) when it has none."""
    names = env_names(raw)
    if not names:
        problems.add(
            (),
            f"--env {name}: the file names no environments (add an "
            "`environments:` section, or leave out --env)",
            code="unknown_environment",
        )
        return None
    if name not in names:
        problems.add(
            ("environments",),
            f"unknown environment {name!r}; the file names: {', '.join(names)}",
            key=True,
            code="unknown_environment",
        )
        return None
    settings = raw["environments"][name]
    return Selected(name, settings if isinstance(settings, Mapping) else {})


def merged_policy(raw: Mapping[Any, Any], selected: Selected | None) -> Any:
    """The raw `policy:` with the environment's keys over it."""
    base = raw.get("policy")
    if selected is None:
        return base
    extra = selected.settings.get("policy")
    if not isinstance(extra, Mapping):
        return base
    return {**(base if isinstance(base, Mapping) else {}), **extra}


def check_envs(
    envs: list[str] | None, names: tuple[str, ...], problems: Problems, where: Path
) -> None:
    """A schedule's `envs:` names only environments the file has."""
    if envs is None:
        return
    for index, name in enumerate(envs):
        if name in names:
            continue
        listed = ", ".join(names) or "none (add an environments: section)"
        problems.add(
            (*where, "envs", index),
            f"unknown environment {name!r}; the file names: {listed}",
            code="unknown_environment",
        )


def run_key(key: str, selected: Selected | None) -> str:
    """The file's run key for one environment (the plain key without one)."""
    if selected is None:
        return key
    text = f"gcsched-environment-v1 {selected.name} {key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
