"""Safe YAML reading with limits, node marks and duplicate-key detection.

`read_document` turns YAML text into plain Python data (dict, list, str, int,
float, bool, None, date, datetime) plus a `Marks` table mapping every data path
to where it was written, so later errors can name `FILE:LINE:COL`.

Decisions (documented in docs/schedule-file.md):
- A `SafeLoader` subclass that does not resolve YAML 1.1 sexagesimal numbers:
  unquoted `17:00` stays the text "17:00" instead of becoming the integer 1020.
- Only plain data: any explicit tag other than the core ones (str, int, float,
  bool, null, timestamp, map, seq, merge) is an error, `!!python/...` included.
- Limits: nesting depth 50, at most 100 aliases, and aliases may not expand the
  document by more than 100,000 values (the "billion laughs" bomb).
- Duplicate mapping keys are errors (YAML libraries silently keep the last one).
- Speed: where PyYAML has libyaml, the document is composed by the C loader
  (its nodes carry the same marks) and the limits are checked on the composed
  node graph. A syntax error or a limit hit sends the text through the
  pure-Python loader instead, so those messages (and their positions) are
  exactly that loader's; problems with single values come from the same
  builder either way.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any, Protocol

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_EXTRA_VALUES",
    "Invalid",
    "Marks",
    "Path",
    "YamlProblem",
    "read_document",
]

MAX_DEPTH = 50
MAX_ALIASES = 100
MAX_EXTRA_VALUES = 100_000

Path = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(
    _CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = _CORE + "map"
_STR_TAG = _CORE + "str"
_NULL_TAG = _CORE + "null"
_SEQ_TAG = _CORE + "seq"
_MERGE_TAG = _CORE + "merge"
_KIND_NAMES = {
    _CORE + "timestamp": "a date",
    _CORE + "int": "an integer",
    _CORE + "float": "a number",
}

_INT_NO_SEXAGESIMAL = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT_NO_SEXAGESIMAL = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """A problem found while reading YAML: 0-based position, data path, message."""

    message: str
    line: int | None = None
    column: int | None = None
    path: Path = ()
    code: str = "yaml_syntax"


class YamlFatalError(Exception):
    """The document cannot be read at all (syntax, limits)."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class Invalid:
    """Stands in for a value that could not be read (the problem is already kept)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<invalid>"


INVALID = Invalid()


class Marks:
    """Where each data path was written: 0-based (line, column) of value and key.

    The builder keeps the nodes of each path (its key's, None for the root and
    for list items, and its value's), and positions are read from them only
    when asked: a file has many paths, and few positions are asked for. In a
    `plain` document (no merge key, every key text) each path has one node,
    and a scalar's nodes are not kept but found in its parent's.
    """

    __slots__ = ("_children", "nodes", "plain")

    def __init__(
        self,
        nodes: dict[Path, tuple[Node | None, Node]] | None = None,
        *,
        plain: bool = False,
    ) -> None:
        #: Data path to the nodes of its key and value, the first written.
        self.nodes: dict[Path, tuple[Node | None, Node]] = (
            {} if nodes is None else nodes
        )
        self.plain = plain
        self._children: dict[int, dict[str | int, tuple[Node | None, Node]]] = {}

    def _scalars(self, node: Node) -> dict[str | int, tuple[Node | None, Node]]:
        """The scalars below `node` by key or index, in a plain document."""
        found = self._children.get(id(node))
        if found is None:
            found = self._children[id(node)] = _scalar_children(node)
        return found

    def _entry(self, path: Path) -> tuple[Node | None, Node] | None:
        found = self.nodes.get(path)
        if found is not None or not self.plain or not path:
            return found
        parent = self.nodes.get(path[:-1])  # a collection: always kept
        return None if parent is None else self._scalars(parent[1]).get(path[-1])

    def _entries(self) -> list[tuple[Path, tuple[Node | None, Node]]]:
        found = list(self.nodes.items())
        if self.plain:
            for path, (_, node) in list(found):
                found.extend(
                    ((*path, step), child)
                    for step, child in self._scalars(node).items()
                )
        return found

    @property
    def values(self) -> dict[Path, tuple[int, int]]:
        """Every path's value position."""
        return {path: _position(value) for path, (_, value) in self._entries()}

    @property
    def keys(self) -> dict[Path, tuple[int, int]]:
        """Every mapping entry's key position."""
        return {
            path: _position(key)
            for path, (key, _) in self._entries()
            if key is not None
        }

    def at(self, path: Path) -> tuple[int, int] | None:
        """The position of the value at exactly `path` (None if not written)."""
        found = self._entry(path)
        return None if found is None else _position(found[1])

    def find(self, path: Path, *, prefer_key: bool = False) -> tuple[int, int] | None:
        """The position of `path`, else of its nearest written ancestor."""
        probe = path
        while True:
            found = self._entry(probe)
            if found is not None:
                key, value = found
                return _position(key if prefer_key and key is not None else value)
            if not probe:
                return None
            probe = probe[:-1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Marks):
            return NotImplemented
        return self.values == other.values and self.keys == other.keys

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dict it holds


def _position(node: Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line, mark.column


def _scalar_children(node: Node) -> dict[str | int, tuple[Node | None, Node]]:
    """The nodes of the scalars a plain document's builder read in `node`
    without keeping them: each key's first entry, each list item."""
    found: dict[str | int, tuple[Node | None, Node]] = {}
    if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
        seen: set[str] = set()
        for key, value in node.value:
            if key.value not in seen:
                seen.add(key.value)
                if isinstance(value, ScalarNode):
                    found[key.value] = (key, value)
    elif isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
        for index, item in enumerate(node.value):
            if isinstance(item, ScalarNode):
                found[index] = (None, item)
    return found


def _resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's implicit resolvers without YAML 1.1 sexagesimal numbers."""
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        fixed: list[tuple[str, re.Pattern[str]]] = []
        for tag, regexp in entries:
            replacement = {
                _CORE + "int": _INT_NO_SEXAGESIMAL,
                _CORE + "float": _FLOAT_NO_SEXAGESIMAL,
            }.get(tag, regexp)
            fixed.append((tag, replacement))
        table[first] = fixed
    return table


class MarkedLoader(yaml.SafeLoader):
    """SafeLoader with limits on depth and aliases and no sexagesimal numbers."""

    yaml_implicit_resolvers = _resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one node, counting aliases and nesting depth."""
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # PyYAML stubs
                raise YamlFatalError(
                    YamlProblem(
                        f"more than {MAX_ALIASES} aliases; "
                        "the file is refused as a possible alias bomb",
                        mark.line,
                        mark.column,
                        code="yaml_limit",
                    )
                )
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]  # PyYAML stubs
                raise YamlFatalError(
                    YamlProblem(
                        f"nested deeper than {MAX_DEPTH} levels",
                        mark.line,
                        mark.column,
                        code="yaml_limit",
                    )
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _measure(node: Node) -> int:
    """Refuse alias cycles, deep expanded nesting and alias bombs, without expanding.

    Returns:
        How many times a node is referred to again (the aliases of the text).
    """
    memo: dict[int, tuple[int, int]] = {}
    visiting: set[int] = set()
    again = 0

    def walk(current: Node, depth: int) -> tuple[int, int]:
        nonlocal again
        key = id(current)
        if key in visiting:
            mark = current.start_mark
            raise YamlFatalError(
                YamlProblem(
                    "an alias refers to itself (a cycle)",
                    mark.line,
                    mark.column,
                    code="yaml_limit",
                )
            )
        known = memo.get(key)
        if known is None:
            if depth > MAX_DEPTH:
                mark = current.start_mark
                raise YamlFatalError(
                    YamlProblem(
                        f"nested deeper than {MAX_DEPTH} levels (through aliases)",
                        mark.line,
                        mark.column,
                        code="yaml_limit",
                    )
                )
            visiting.add(key)
            size, height = 1, 1
            children: list[Node] = []
            if isinstance(current, SequenceNode):
                children = list(current.value)
            elif isinstance(current, MappingNode):
                for k, v in current.value:
                    children.extend((k, v))
            for child in children:
                if isinstance(child, ScalarNode):  # a leaf: walk(child) inlined
                    leaf = id(child)
                    if leaf in memo:
                        again += 1
                    else:
                        memo[leaf] = (1, 1)
                    if depth + 1 > MAX_DEPTH:
                        mark = child.start_mark
                        raise YamlFatalError(
                            YamlProblem(
                                f"nested deeper than {MAX_DEPTH} levels "
                                "(through aliases)",
                                mark.line,
                                mark.column,
                                code="yaml_limit",
                            )
                        )
                    size += 1
                    height = max(height, 2)
                    continue
                child_size, child_height = walk(child, depth + 1)
                size += child_size
                height = max(height, child_height + 1)
            visiting.discard(key)
            known = memo[key] = (size, height)
        else:
            again += 1
        if depth + known[1] - 1 > MAX_DEPTH:
            mark = current.start_mark
            raise YamlFatalError(
                YamlProblem(
                    f"nested deeper than {MAX_DEPTH} levels (through aliases)",
                    mark.line,
                    mark.column,
                    code="yaml_limit",
                )
            )
        return known

    total, _ = walk(node, 1)
    if total > len(memo) + MAX_EXTRA_VALUES:
        raise YamlFatalError(
            YamlProblem(
                f"aliases expand the document to {total:,} values "
                f"(limit: {MAX_EXTRA_VALUES:,} more than written); "
                "the file is refused as a possible alias bomb",
                0,
                0,
                code="yaml_limit",
            )
        )
    return again


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class _Constructs(Protocol):
    """What the builder needs of a loader: PyYAML's safe scalar constructor."""

    def construct_object(self, node: Node, deep: bool = False) -> Any: ...


class _NotPlainError(Exception):
    """A plain builder met a key that is not text (the document is not plain)."""


class _Builder:
    """Turns composed nodes into plain data, recording marks and problems.

    A `plain` builder is for a document without merge keys whose keys are
    all text (it raises `_NotPlainError` at any other key): there each data path
    has one node, and it keeps only the collections' (see `Marks`).
    """

    def __init__(
        self,
        loader: _Constructs,
        *,
        check_depth: bool = False,
        merges: bool = True,
        plain: bool = False,
    ) -> None:
        self.loader = loader
        self.marks = Marks(plain=plain)
        self.nodes = self.marks.nodes
        self.plain = plain
        self.problems: list[YamlProblem] = []
        self.check_depth = check_depth
        #: False when the text cannot hold a merge key (see `_read_fast`).
        self.merges = merges
        #: Scalars other than text and null, by tag and text: a file repeats
        #: its dates and numbers, and each is immutable.
        self.constructed: dict[tuple[str, str], Any] = {}

    def problem(
        self, node: Node, path: Path, message: str, code: str = "yaml_tag"
    ) -> Invalid:
        mark = node.start_mark
        self.problems.append(YamlProblem(message, mark.line, mark.column, path, code))
        return INVALID

    def build(self, node: Node, path: Path) -> Any:
        """The data of `node`, written at `path` (the root, or a list item)."""
        self.nodes.setdefault(path, (None, node))  # the first written stays
        return self.data(node, path)

    def data(self, node: Node, path: Path) -> Any:
        """The data of `node` at `path`, whose nodes are already kept."""
        if self.check_depth and len(path) >= MAX_DEPTH:  # the node's depth > MAX
            raise YamlFatalError(
                YamlProblem(f"nested deeper than {MAX_DEPTH} levels", code="yaml_limit")
            )
        if isinstance(node, ScalarNode):
            if node.tag == _STR_TAG:  # most values: `scalar` inlined
                return node.value
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                return self.problem(node, path, self.bad_tag(node.tag))
            if self.plain and (not self.check_depth or len(path) + 1 < MAX_DEPTH):
                return [
                    item.value  # most items: `scalar` inlined
                    if item.__class__ is ScalarNode and item.tag == _STR_TAG
                    else self.scalar(item, (*path, i))
                    if item.__class__ is ScalarNode
                    else self.build(item, (*path, i))
                    for i, item in enumerate(node.value)
                ]
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        if node.tag != _MAP_TAG:
            return self.problem(node, path, self.bad_tag(node.tag))
        if self.plain:
            return self.plain_mapping(node, path)
        return self.mapping(node, path)

    @staticmethod
    def bad_tag(tag: str) -> str:
        return (
            f"the YAML tag {_tag_name(tag)} is not allowed; "
            "a schedule file holds plain data only"
        )

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        # Text and null, most of a file, need none of PyYAML's constructor
        # machinery: what `construct_object` would return, directly.
        if node.tag == _STR_TAG:
            return node.value
        if node.tag == _NULL_TAG:
            return None
        if node.tag not in _SCALAR_TAGS:
            return self.problem(node, path, self.bad_tag(node.tag))
        known = (node.tag, node.value)
        if known in self.constructed:
            return self.constructed[known]
        try:
            value = self.constructed[known] = self.loader.construct_object(
                node, deep=True
            )
        except (ValueError, OverflowError, yaml.YAMLError) as exc:
            kind = _KIND_NAMES.get(node.tag, "a value")
            reason = str(exc).split(":", 1)[0] if "limit" in str(exc) else str(exc)
            return self.problem(
                node,
                path,
                f"cannot read {node.value[:40]!r} as {kind}: {reason}",
                "bad_scalar",
            )
        return value

    def merged_pairs(self, node: MappingNode, path: Path) -> list[tuple[Node, Node]]:
        """Mapping pairs with `<<` merge keys expanded (explicit keys win)."""
        merged: list[tuple[Node, Node]] = []
        own: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE_TAG:
                own.append((key_node, value_node))
                continue
            sources = (
                value_node.value
                if isinstance(value_node, SequenceNode)
                else [value_node]
            )
            for source in sources:
                if not isinstance(source, MappingNode) or source.tag != _MAP_TAG:
                    self.problem(
                        source, path, "a merge key (<<) needs a mapping", "yaml_key"
                    )
                    continue
                merged.extend(self.merged_pairs(source, path))
        own_keys = {k.value for k, _ in own if isinstance(k, ScalarNode)}
        # A merged key that is not a scalar (`[k]: 1`) cannot be overridden;
        # it is kept so that `key()` reports it where it was written.
        return [
            p
            for p in merged
            if not (isinstance(p[0], ScalarNode) and p[0].value in own_keys)
        ] + own

    def key(self, node: Node, path: Path) -> Any:
        """The key of a mapping entry (`INVALID` when it cannot be one)."""
        if not isinstance(node, ScalarNode):
            return self.problem(
                node, path, "mapping keys must be plain values", "yaml_key"
            )
        key = self.scalar(node, path)
        if isinstance(key, str | int | float | bool | Invalid) or key is None:
            return key
        return str(key)

    def duplicate(self, node: Node, path: Path, key: Any, first: Node) -> None:
        line = first.start_mark.line + 1
        self.problem(
            node,
            path,
            f"duplicate key {key!r} (first written on line {line})",
            "duplicate_key",
        )

    def plain_mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        """`mapping` for a plain document: only collections' nodes are kept."""
        result: dict[str, Any] = {}
        nodes = self.nodes
        # A scalar value below the depth limit is read here, as `data` would.
        inline = not self.check_depth or len(path) + 1 < MAX_DEPTH
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode or key_node.tag != _STR_TAG:
                raise _NotPlainError
            key = key_node.value
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                self.duplicate(key_node, (*path, key), key, first)
            elif inline and value_node.__class__ is ScalarNode:
                if value_node.tag == _STR_TAG:  # most values: `scalar` inlined
                    result[key] = value_node.value
                else:
                    result[key] = self.scalar(value_node, (*path, key))
            else:
                child = (*path, key)
                nodes[child] = (key_node, value_node)
                result[key] = self.data(value_node, child)
        return result

    def mapping(self, node: MappingNode, path: Path) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first: dict[Any, Node] = {}  # each key's first key node
        merges = self.merges and any(k.tag == _MERGE_TAG for k, _ in node.value)
        pairs = self.merged_pairs(node, path) if merges else node.value
        explicit = {id(k) for k, _ in node.value} if merges else None
        nodes = self.nodes
        # A text value below the depth limit is built here, as `data` would.
        inline = not self.check_depth or len(path) + 1 < MAX_DEPTH
        for key_node, value_node in pairs:
            if key_node.__class__ is ScalarNode and key_node.tag == _STR_TAG:
                key = key_node.value  # most keys: what `key` returns
                child = (*path, key)
            else:
                key = self.key(key_node, path)
                if key is INVALID:
                    continue
                child = (*path, key if isinstance(key, str | int) else str(key))
            if key in first and (explicit is None or id(key_node) in explicit):
                self.duplicate(key_node, child, key, first[key])
                continue
            first.setdefault(key, key_node)
            kept = nodes.setdefault(child, (key_node, value_node))
            if kept[0] is None:  # written before as a list item: keep its value
                nodes[child] = (key_node, kept[1])
            if (
                inline
                and value_node.__class__ is ScalarNode
                and value_node.tag == _STR_TAG
            ):
                result[key] = value_node.value
            else:
                result[key] = self.data(value_node, child)
        return result


def _build(
    loader: _Constructs, node: Node, *, check_depth: bool, merges: bool
) -> tuple[Any, Marks, list[YamlProblem]]:
    """The data, marks and problems of a composed document (its root `node`)."""
    if not merges:
        builder = _Builder(loader, check_depth=check_depth, merges=False, plain=True)
        try:
            return builder.build(node, ()), builder.marks, builder.problems
        except _NotPlainError:
            # A key that is not text: build it again, keeping every node, with
            # a constructor of its own (PyYAML's remembers the scalars it
            # failed on, and would word a second attempt differently).
            loader = yaml.constructor.SafeConstructor()
    builder = _Builder(loader, check_depth=check_depth, merges=merges)
    return builder.build(node, ()), builder.marks, builder.problems


def _syntax_problem(exc: yaml.YAMLError, text: str) -> YamlProblem:
    """A readable problem for a PyYAML parse error, spotting tab indentation."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line if mark is not None else None
    column = mark.column if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    lines = text.splitlines()
    if line is not None and line < len(lines):
        current = lines[line]
        indent = current[: len(current) - len(current.lstrip(" \t"))]
        if "\t" in indent or "'\\t'" in problem:
            return YamlProblem(
                "a tab is used for indentation; YAML allows only spaces there",
                line,
                indent.find("\t") if "\t" in indent else column,
            )
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        before = text[: exc.position]
        row = before.count("\n")
        return YamlProblem(
            f"the file contains a character YAML does not allow (U+{code:04X})",
            row,
            exc.position - (before.rfind("\n") + 1),
        )
    context = getattr(exc, "context", None)
    detail = f"{context}: {problem}" if context else problem
    return YamlProblem(f"not valid YAML: {detail}", line, column)


class _Resolver(yaml.resolver.BaseResolver):
    """The implicit tags of `MarkedLoader`, without path resolvers."""

    yaml_implicit_resolvers = _resolvers()

    def __init__(self) -> None:
        super().__init__()
        self.yaml_path_resolvers = {}  # its own, empty: none can be added


def _fast_loader() -> type[Any] | None:
    """libyaml's C loader with the same resolvers as `MarkedLoader`, if built.

    libyaml asks the resolver for the tag of every node it composes, and
    tells it each step into and out of a collection (for path resolvers).
    This loader has no path resolvers, so a node's tag depends only on its
    kind, its text and whether it was quoted: each loader asks `_Resolver`
    once per different question, through a cache in C (no Python frame for
    the rest), since a schedule file repeats the same keys and values
    hundreds of times. The steps need no bookkeeping at all.
    """
    base: type[Any] | None = getattr(yaml, "CSafeLoader", None)
    if base is None:  # pragma: no cover - PyYAML built without libyaml
        return None
    resolve = _Resolver().resolve

    def __init__(self: Any, stream: str) -> None:  # noqa: N807 - a method
        base.__init__(self, stream)
        # Per loader: the texts of a file are forgotten with it.
        self.resolve = functools.cache(resolve)

    return type(
        "FastLoader",
        (base,),
        {
            "yaml_implicit_resolvers": _Resolver.yaml_implicit_resolvers,
            "__init__": __init__,
            # Called with (parent, index) and () around every child: C
            # builtins that accept those and do nothing, not Python frames.
            "descend_resolver": staticmethod(operator.is_),
            "ascend_resolver": tuple,
        },
    )


_FastLoader = _fast_loader()


def _read_fast(text: str) -> tuple[Any, Marks, list[YamlProblem]] | None:
    """Read `text` with libyaml; None when it is missing or finds any problem."""
    if _FastLoader is None:  # pragma: no cover - PyYAML built without libyaml
        return None
    try:
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            # Without an anchor (&) there is no alias, and without a merge key
            # (<<) every node's depth is its data path's length + 1: the node
            # graph is a tree whose depth the builder checks as it goes.
            graph = "&" in text or "<<" in text
            if graph and _measure(node) > MAX_ALIASES:
                return None
            # A merge key is `<<`, or a tag that names merge (`!!merge`, or
            # percent-escaped in a tag: `!!%6Derge`).
            merges = "<<" in text or "merge" in text or "%" in text
            return _build(loader, node, check_depth=not graph, merges=merges)
        finally:
            loader.dispose()
    except (yaml.YAMLError, YamlFatalError, RecursionError, ValueError):
        return None


def read_document(text: str) -> tuple[Any, Marks, list[YamlProblem]]:
    """Parse one YAML document into plain data with marks.

    Args:
        text: The YAML text.

    Returns:
        The data (None for an empty document), its marks, and the problems with
        individual values (those values are replaced by an `Invalid` marker).

    Raises:
        YamlFatalError: The text is not one readable YAML document within limits.
    """
    fast = _read_fast(text)
    if fast is not None:
        return fast
    try:
        loader = MarkedLoader(text)
    except yaml.YAMLError as exc:
        raise YamlFatalError(_syntax_problem(exc, text)) from None
    try:
        try:
            node = loader.get_single_node()
        except YamlFatalError:
            raise
        except yaml.YAMLError as exc:
            raise YamlFatalError(_syntax_problem(exc, text)) from None
        except RecursionError:
            raise YamlFatalError(
                YamlProblem(f"nested deeper than {MAX_DEPTH} levels", code="yaml_limit")
            ) from None
        if node is None:
            return None, Marks(), []
        _measure(node)
        builder = _Builder(loader)
        data = builder.build(node, ())
        return data, builder.marks, builder.problems
    finally:
        loader.dispose()
