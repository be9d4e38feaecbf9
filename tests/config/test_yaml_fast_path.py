"""The libyaml path reads exactly what the pure-Python loader reads.

`read_document` composes with libyaml when PyYAML has it and falls back to the
pure-Python `MarkedLoader` on any syntax error or limit; these tests hold the
two paths to the same data, marks and problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gcsched.config import yaml_source
from gcsched.config.yaml_source import MAX_ALIASES, MarkedLoader, read_document

ROOT = Path(__file__).resolve().parents[2]
GOOD = sorted(
    [
        *(ROOT / "tests" / "fixtures" / "config" / "good").glob("*.yaml"),
        *(ROOT / "examples").glob("*.yaml"),
    ]
)

pytestmark = pytest.mark.skipif(
    not yaml.__with_libyaml__, reason="PyYAML was built without libyaml"
)


def _slow(text: str) -> tuple[object, object, object]:
    """What the pure-Python loader alone makes of `text`."""
    loader = MarkedLoader(text)
    try:
        node = loader.get_single_node()
        assert node is not None
        yaml_source._measure(node)
        builder = yaml_source._Builder(loader)
        return builder.build(node, ()), builder.marks, builder.problems
    finally:
        loader.dispose()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_good_files_read_the_same_on_both_paths(path: Path) -> None:
    """Every good fixture and example: same data, marks and problems."""
    text = path.read_text(encoding="utf-8")
    fast = yaml_source._read_fast(text)
    assert fast is not None, "libyaml should read a good file"
    assert fast == _slow(text)


def test_sexagesimal_stays_text_on_the_fast_path() -> None:
    """Unquoted 17:00 is the string "17:00" under libyaml too."""
    fast = yaml_source._read_fast("end: 17:00\nn: 1_000\n")
    assert fast is not None
    assert fast[0] == {"end": "17:00", "n": 1000}


def test_value_problems_are_kept_on_the_fast_path() -> None:
    """A bad tag or a duplicate key is reported, not silently re-read."""
    fast = yaml_source._read_fast("a: !!binary aGk=\na: 2\n")
    assert fast is not None
    _, _, problems = fast
    assert [p.line for p in problems] == [0, 1]


def test_alias_limit_falls_back_to_the_exact_message() -> None:
    """Past the alias limit the pure-Python loader names the alias that crossed it."""
    refs = ", ".join(["*a"] * (MAX_ALIASES + 1))
    text = f"x: &a 1\ny: [{refs}]\n"
    assert yaml_source._read_fast(text) is None
    with pytest.raises(yaml_source.YamlFatalError) as caught:
        read_document(text)
    assert f"more than {MAX_ALIASES} aliases" in caught.value.problem.message
    assert caught.value.problem.line == 1


def test_syntax_errors_fall_back() -> None:
    """A tab-indented file gets the pure-Python loader's tab message."""
    text = "a:\n\tb: 1\n"
    assert yaml_source._read_fast(text) is None
    with pytest.raises(yaml_source.YamlFatalError) as caught:
        read_document(text)
    assert "tab" in caught.value.problem.message


_scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
    st.sampled_from(["17:00", "2026-12-24", "2026-12-24T13:00", "0x1f", "1e3", "~"]),
)
_docs = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text("abcxyz_", min_size=1, max_size=5), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(doc=_docs, flow=st.booleans())
def test_generated_documents_read_the_same(doc: object, flow: bool) -> None:
    """Random documents, block and flow style: the two paths agree."""
    text = yaml.safe_dump(
        {"root": doc}, default_flow_style=flow, allow_unicode=True, sort_keys=False
    )
    fast = yaml_source._read_fast(text)
    assert fast is not None
    assert fast == _slow(text)


def test_repeated_plain_scalars_keep_their_tags() -> None:
    """The per-loader tag cache: a text repeated, quoted or not, reads the same."""
    text = (
        "a: [1, '1', 1, 17:00, '17:00', 17:00, 2026-12-24, 2026-12-24, "
        "yes, 'yes', yes, null, ~, null, 0x1f, 0x1f]\n"
        "b: {1: 1, '1': x}\n"
    )
    fast = yaml_source._read_fast(text)
    assert fast is not None
    assert fast == _slow(text)
    assert fast[0]["a"][:3] == [1, "1", 1]


def test_depth_without_anchors_is_checked_while_building() -> None:
    """No anchor, no merge key: the builder refuses what the loader refuses."""
    depth = yaml_source.MAX_DEPTH - 1  # the mapping and its key: two levels
    at_limit = "a: " + "[" * depth + "]" * depth + "\n"
    assert yaml_source._read_fast(at_limit) is not None
    deeper = "a: " + "[" * depth + "1" + "]" * depth + "\n"
    assert yaml_source._read_fast(deeper) is None
    with pytest.raises(yaml_source.YamlFatalError) as caught:
        read_document(deeper)
    assert caught.value.problem.message == "nested deeper than 50 levels"
    assert caught.value.problem.line == 0


def test_an_inline_merge_counts_its_own_level() -> None:
    """`<<: {...}` adds a level the data path does not show: still refused."""
    depth = yaml_source.MAX_DEPTH - 3  # root, a, the merged mapping; then 1
    inner = "[" * depth + "1" + "]" * depth
    text = f"a: {{<<: {{b: {inner}}}}}\n"
    assert yaml_source._read_fast(text) is None
    with pytest.raises(yaml_source.YamlFatalError) as caught:
        read_document(text)
    assert "nested deeper than 50 levels" in caught.value.problem.message
    shallower = "[" * (depth - 1) + "1" + "]" * (depth - 1)
    text = f"a: {{<<: {{b: {shallower}}}}}\n"
    fast = yaml_source._read_fast(text)
    assert fast is not None
    assert fast == _slow(text)


@pytest.mark.parametrize(
    "text",
    [
        "b: &x {c: 1}\nd:\n  !!%6Derge : *x\n  e: 2\n",  # a percent-escaped merge
        "b: &x {c: 1}\nd:\n  !!merge : *x\n  e: 2\n",
        "b: &x {k: [5]}\nd:\n  <<: [*x, {k: {0: 7}}]\n",  # a list item, then a key
        "a: !!str [1]\nb: !!str {c: d}\nc: !!str x\n",  # text tags on collections
        "d: [2026-01-01, 2026-01-01, 2026-02-30, 2026-02-30]\nn: [1, 1, 0x1f]\n",
        "a: {2026-01-01: x, 1.5: y, '1.5': z}\n",
        "a: ! 123\nb: ! [1, '2', \"3\"]\nc: ! {d: 1}\ne: '17:00'\n",  # no tag: `!`
    ],
)
def test_merge_tags_collections_and_repeated_scalars(text: str) -> None:
    """Merge keys however written, `!!str` on a collection, repeated scalars,
    the non-specific tag `!`: the same data, marks and problems as the
    pure-Python loader's."""
    fast = yaml_source._read_fast(text)
    assert fast is not None
    assert fast == _slow(text)


def test_a_percent_escaped_merge_key_merges() -> None:
    """`!!%6Derge` is the merge tag: the text may not skip the merge check."""
    data, _, problems = read_document("b: &x {c: 1}\nd:\n  !!%6Derge : *x\n  e: 2\n")
    assert data == {"b": {"c": 1}, "d": {"c": 1, "e": 2}}
    assert problems == []


def test_a_repeated_bad_date_is_reported_where_each_is_written() -> None:
    """Only good scalars are remembered: each bad one keeps its own position."""
    _, marks, problems = read_document("a: 2026-02-30\nb: 2026-02-30\nc: 2026-01-01\n")
    assert [(p.line, p.path) for p in problems] == [(0, ("a",)), (1, ("b",))]
    assert marks.values[("c",)] == (2, 3)


def _positions(marks: yaml_source.Marks, paths: list[yaml_source.Path]) -> list[object]:
    """Every question a reader asks of marks, for each path and a child of it."""
    asked: list[object] = []
    for path in paths:
        for probe in (path, (*path, 0), (*path, "zz")):
            asked.append(
                (
                    marks.at(probe),
                    marks.find(probe),
                    marks.find(probe, prefer_key=True),
                )
            )
    return asked


@settings(max_examples=150, deadline=None)
@given(doc=_docs, flow=st.booleans())
def test_positions_are_found_alike_on_both_paths(doc: object, flow: bool) -> None:
    """A plain document keeps only its collections' nodes; every position
    asked for (exact, or of the nearest ancestor) is still the one the
    pure-Python loader's full table gives."""
    text = yaml.safe_dump(
        {"root": doc}, default_flow_style=flow, allow_unicode=True, sort_keys=False
    )
    fast = yaml_source._read_fast(text)
    assert fast is not None
    slow = _slow(text)
    assert isinstance(slow[1], yaml_source.Marks)
    paths = sorted({*slow[1].values, *slow[1].keys}, key=repr)
    assert _positions(fast[1], paths) == _positions(slow[1], paths)


def test_a_key_that_is_not_text_keeps_every_node() -> None:
    """A document whose keys are not all text is built again keeping each
    path's nodes: a date key and a quoted one may name the same path."""
    text = "a:\n  - {b: 1}\n  - {2026-01-01: x, '2026-01-01': y}\n"
    fast = yaml_source._read_fast(text)
    assert fast is not None
    assert fast == _slow(text)
    assert not fast[1].plain
    assert fast[1].find(("a", 1, "2026-01-01"), prefer_key=True) == (2, 5)
    assert read_document("a: 1\n")[1].plain


def test_a_bad_scalar_before_a_key_that_is_not_text_is_worded_once() -> None:
    """Built again after the first pass failed on a date: the same message."""
    text = "a: 2026-02-30\nb: {1: x}\n"
    fast = yaml_source._read_fast(text)
    assert fast is not None
    assert fast == _slow(text)
    assert [p.message for p in fast[2]] == [
        "cannot read '2026-02-30' as a date: day is out of range for month"
    ]


def test_marks_compare_only_with_marks() -> None:
    """Marks are equal by their positions; they are no other kind of value."""
    assert yaml_source.Marks() == yaml_source.Marks(plain=True)
    assert yaml_source.Marks() != {}
