"""The leak scanner: every encoded form of a canary, searched in every byte written."""

from __future__ import annotations

import base64
import binascii
import json
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Leak:
    """One canary form found in one place."""

    where: str
    canary: str
    form: str


def _b64_cores(raw: bytes) -> set[bytes]:
    """The base64 text of `raw` at each of the 3 byte alignments it can have.

    Only the characters that depend on `raw` alone are kept, so the canary is
    found even in the middle of a longer base64 string (e.g. `Basic id:secret`).
    """
    cores: set[bytes] = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        first = -(-8 * shift // 6)
        last = 8 * (shift + len(raw)) // 6
        core = encoded[first:last]
        cores.add(core)
        cores.add(core.translate(bytes.maketrans(b"+/", b"-_")))
    return cores


def forms(canary: str) -> dict[str, bytes]:
    """Every form a canary may take when written: raw, URL, JSON, base64, hex."""
    raw = canary.encode()
    out = {
        "raw": raw,
        "url-quote": urllib.parse.quote(canary, safe="").encode(),
        "url-quote-plus": urllib.parse.quote_plus(canary).encode(),
        "json-escaped": json.dumps(canary)[1:-1].encode(),
        "json-escaped-ascii": json.dumps(canary, ensure_ascii=True)[1:-1].encode(),
        "hex": binascii.hexlify(raw),
        "utf-16-le": canary.encode("utf-16-le"),
    }
    for i, core in enumerate(sorted(_b64_cores(raw))):
        out[f"base64[{i}]"] = core
    return out


def find_leaks(
    blobs: Mapping[str, bytes], canaries: Mapping[str, Iterable[str]]
) -> list[Leak]:
    """Every (place, canary, form) where a canary shows up.

    Args:
        blobs: what was written, by place (file path, "stdout of plan", ...).
        canaries: label → the secret values it stands for (e.g. a token and
            `Bearer <token>`).
    """
    leaks = []
    for label, values in canaries.items():
        for value in values:
            for form_name, needle in forms(value).items():
                for where, blob in blobs.items():
                    if needle in blob or needle.lower() in blob.lower():
                        leaks.append(Leak(where, label, form_name))
    return leaks


def files_under(*roots: Path) -> dict[str, bytes]:
    """The bytes of every file under `roots` (a root may be a file)."""
    out: dict[str, bytes] = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in paths:
            if path.is_file():
                out[str(path)] = path.read_bytes()
    return out
