"""docs/webhooks.md stays true: its receiver snippet and payload example work."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from webhook_support import SECRET

from gcsched.webhooks import payload_bytes, schedule_event_data, sign_headers

DOC = Path(__file__).parents[2] / "docs" / "webhooks.md"


def _block(language: str, after: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(after)
    match = re.compile(rf"```{language}\n(.*?)```", re.S).search(text, start)
    assert match is not None
    return match.group(1)


def test_receiver_snippet_verifies_and_dedupes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The documented receiver accepts a delivery once, dedupes, rejects tampering."""
    os.environ["GCSCHED_WEBHOOK_SECRET"] = SECRET
    namespace: dict[str, Any] = {}
    exec(_block("python", "## Verifying"), namespace)  # our own doc
    handle = namespace["handle"]
    body = payload_bytes({"type": "run.completed", "data": {"run_id": "r1"}})
    headers = sign_headers(
        SECRET, msg_id="msg_1", timestamp=datetime.now(UTC), body=body
    )
    assert handle(body, headers) == 204
    assert handle(body, headers) == 204
    assert namespace["seen"] == {"msg_1"}
    assert handle(body.replace(b"r1", b"r2"), headers) == 400
    assert capsys.readouterr().out == "run.completed r1\n"


def test_payload_example_matches_the_builder() -> None:
    """The documented payload has exactly the fields schedule_event_data builds."""
    example = json.loads(_block("json", "## Payload"))
    built = schedule_event_data(
        run_id="r",
        org={"id": "o", "name": "O"},
        kind="campaign",
        target_id="c",
        target_name="n",
        action="update",
        before={},
        after={},
        step_id=3,
    )
    assert set(example) == {"type", "timestamp", "data"}
    assert set(example["data"]) == set(built)
    assert set(example["data"]["before"]) == set(built["before"])
