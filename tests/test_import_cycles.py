"""No import circles in gcsched, not even behind a lazy (function-level) import."""

from __future__ import annotations

import grimp


def test_no_module_imports_one_that_imports_it_back() -> None:
    """Every import, top-level, lazy or for type checking, points one way only."""
    graph = grimp.build_graph("gcsched")
    circles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.find_shortest_chain(imported=module, importer=imported)
    )
    assert circles == []
