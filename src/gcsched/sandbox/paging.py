"""Page-number listings (``*EntityListing``) and the name filter."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final, NoReturn
from urllib.parse import urlencode

from gcsched.sandbox.problems import ApiProblem, Detail

__all__ = [
    "allow_empty_result",
    "filter_by_name",
    "listing",
    "page_params",
    "sort_items",
]

MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 25


def _bad_param(name: str, value: str, why: str) -> NoReturn:
    raise ApiProblem(
        400,
        "invalid.query.param.value",
        f"Query parameter {name}={value!r} is invalid: {why}",
        (Detail("invalid.query.param.value", name),),
    )


def page_params(
    query: Mapping[str, str], default_size: int = DEFAULT_PAGE_SIZE
) -> tuple[int, int]:
    """Return ``(pageSize, pageNumber)`` from the query, checked.

    A ``pageSize`` above 100 is clamped to 100: "The max that will be
    returned is 100" (the SDKs' docs of every outbound list).

    Args:
        query: the request's query.
        default_size: the page size when the query gives none.

    Raises:
        ApiProblem: 400 ``invalid.query.param.value`` for a bad value.
    """
    out: list[int] = []
    for name, default in (("pageSize", default_size), ("pageNumber", 1)):
        raw = query.get(name)
        if raw is None:
            out.append(default)
            continue
        try:
            value = int(raw)
        except ValueError:
            _bad_param(name, raw, "not an integer")
        if value < 1:
            _bad_param(name, raw, "must be at least 1")
        out.append(value)
    return min(out[0], MAX_PAGE_SIZE), out[1]


def allow_empty_result(query: Mapping[str, str]) -> bool:
    """Return the ``allowEmptyResult`` query parameter (default false).

    Raises:
        ApiProblem: 400 ``invalid.query.param.value`` unless true or false.
    """
    raw = query.get("allowEmptyResult", "false")
    if raw.lower() not in ("true", "false"):
        _bad_param("allowEmptyResult", raw, "use true or false")
    return raw.lower() == "true"


def filter_by_name(
    items: list[dict[str, Any]], query: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Keep the items whose ``name`` passes ``name`` + ``filterType``."""
    name = query.get("name")
    if not name:
        return items
    kind = query.get("filterType", "Prefix")
    wanted = name.casefold()
    if kind == "Equals":
        return [i for i in items if i.get("name") == name]
    if kind == "Contains":
        return [i for i in items if wanted in str(i.get("name", "")).casefold()]
    if kind == "EndsWith":
        return [i for i in items if str(i.get("name", "")).casefold().endswith(wanted)]
    if kind == "RegEx":
        try:
            pattern = re.compile(name)
        except re.error:
            _bad_param("name", name, "not a valid regular expression")
        return [i for i in items if pattern.search(str(i.get("name", "")))]
    if kind in ("Prefix", "BeginsWith"):
        return [
            i for i in items if str(i.get("name", "")).casefold().startswith(wanted)
        ]
    _bad_param("filterType", kind, "use Equals, Contains, Prefix or RegEx")


def sort_items(
    items: list[dict[str, Any]], query: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Sort by ``sortBy`` (default ``name``), ``sortOrder`` ascending/descending."""
    key = query.get("sortBy", "name")
    reverse = query.get("sortOrder", "ascending").lower().startswith("desc")
    return sorted(items, key=lambda i: str(i.get(key, "")).casefold(), reverse=reverse)


def listing(
    items: list[dict[str, Any]],
    path: str,
    query: Mapping[str, str],
    *,
    page_size: int,
    page_number: int,
) -> dict[str, Any]:
    """Return one page of `items` as an ``EntityListing``.

    Args:
        items: every matching item, in order.
        path: the list's path (for the ``*Uri`` fields).
        query: the request's query (kept in the URIs).
        page_size: items per page.
        page_number: 1-based page.

    Returns:
        ``entities, pageSize, pageNumber, total, pageCount`` and the URIs.
    """
    total = len(items)
    page_count = math.ceil(total / page_size)
    start = (page_number - 1) * page_size
    others = {k: v for k, v in query.items() if k not in ("pageSize", "pageNumber")}

    def uri(number: int) -> str:
        params = {"pageSize": page_size, "pageNumber": number, **others}
        return f"{path}?{urlencode(params)}"

    body: dict[str, Any] = {
        "entities": items[start : start + page_size],
        "pageSize": page_size,
        "pageNumber": page_number,
        "total": total,
        "firstUri": uri(1),
        "selfUri": uri(page_number),
        "lastUri": uri(max(page_count, 1)),
        "pageCount": page_count,
    }
    if page_number < page_count:
        body["nextUri"] = uri(page_number + 1)
    if page_number > 1:
        body["previousUri"] = uri(min(page_number - 1, max(page_count, 1)))
    return body
