"""`write_json`: the bytes of `json.dumps(indent=2)`, written in pieces."""

from __future__ import annotations

import io
import json

import pytest

from gcsched.cli.common import write_json


class _Counting(io.StringIO):
    """A text stream that counts the writes it is handed."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_same_text_as_dumps_in_bounded_pieces(ensure_ascii: bool) -> None:
    """A document of ~1 MiB comes out as json.dumps prints it, in several writes."""
    data = {
        "conflicts": [
            {
                "campaigns": [f"Renewals {i} – Zürich", "B"],
                "minutes": i,
                "ok": i % 2 == 0,
            }
            for i in range(10_000)
        ],
        "empty": {},
        "none": None,
    }
    stream = _Counting()
    write_json(stream, data, ensure_ascii=ensure_ascii)
    expected = json.dumps(data, indent=2, ensure_ascii=ensure_ascii) + "\n"
    assert stream.getvalue() == expected
    # streamed: no write holds the whole text, and not one write per fragment
    assert 1 < stream.writes < len(expected) // 1000


def test_small_document_is_one_write() -> None:
    """A small document (most plans) is handed over at once, newline included."""
    stream = _Counting()
    write_json(stream, [1, "x"])
    assert stream.getvalue() == '[\n  1,\n  "x"\n]\n'
    assert stream.writes == 1
