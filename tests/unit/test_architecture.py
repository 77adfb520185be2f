"""The package's own imports obey the architecture (docs/ARCHITECTURE.md): no circles, no import
from a lower layer to a higher one, and the core never imports the interfaces' libraries."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "kompass_search"

# Lowest first. A module may import its own layer or lower ones; every top-level module and wing of
# the package must be listed, so a new one has to be placed before it can be imported.
LAYERS: list[set[str]] = [
    {
        "errors",
        "paths",
        "datafiles",
        "models",
        "progress",
        "words",
    },  # foundation: no imports from the package above
    {"taxonomy", "config", "glossary", "bokmal"},  # domain data (templates, glossary) and settings
    {
        "citation",
        "corpus",
        "corpus_write",
        "names",
        "validate",
    },  # the YAML corpus, and how it is cited
    {"ingest", "model"},  # reports -> corpus; the embedding model
    {"index"},  # corpus -> passages -> index folder
    {"search"},  # index -> ranked hits, role models
    {"render"},  # hits, role models, profiles -> text / Markdown / JSON
    {"cli", "tui", "bench"},  # interfaces and the benchmark
]
INTERFACES = {"cli", "tui"}
INTERFACE_LIBRARIES = ("typer", "textual", "click", "rich")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in PKG.rglob("*.py")}


def _imports(name: str) -> Iterator[tuple[str, int]]:
    """(imported name, line) for every import in the module, lazy and TYPE_CHECKING ones included."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            for a in node.names:
                yield (f"{mod}.{a.name}" if f"{mod}.{a.name}" in MODULES else mod), node.lineno


def _internal(name: str) -> list[tuple[str, int]]:
    return [(m, line) for m, line in _imports(name) if m in MODULES and m != name]


GRAPH = {name: sorted({m for m, _ in _internal(name)}) for name in MODULES}


def _top(name: str) -> str | None:
    """The top-level module or wing a module belongs to (None for the package's own __init__)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def _layer(top: str) -> int:
    for i, layer in enumerate(LAYERS):
        if top in layer:
            return i
    raise AssertionError(
        f"kompass_search.{top} is in no layer; add it to LAYERS and ARCHITECTURE.md"
    )


def test_graph_is_real() -> None:
    assert len(MODULES) > 40
    assert "kompass_search.index.reader" in GRAPH["kompass_search.search.searcher"]


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        top = _top(name)
        if top is not None:
            _layer(top)


def test_no_import_circles() -> None:
    """Tarjan's strongly connected components over the package's own imports: none may hold two modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert circles == []


def test_the_cycle_check_can_fail() -> None:
    """The check above finds a circle when there is one (a guard against a check that cannot fail)."""
    saved = dict(GRAPH)
    try:
        GRAPH["kompass_search.models"] = [*GRAPH["kompass_search.models"], "kompass_search.corpus"]
        with pytest.raises(AssertionError):
            test_no_import_circles()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


@pytest.mark.parametrize("name", sorted(MODULES), ids=lambda n: n.removeprefix("kompass_search."))
def test_no_upward_import(name: str) -> None:
    top = _top(name)
    if top is None:
        return  # the package's __init__: its public names load lazily, on first use
    mine = _layer(top)
    upward = [
        f"{m} (line {line})"
        for m, line in _internal(name)
        if _top(m) is not None and _layer(_top(m) or "") > mine
    ]
    assert not upward, f"{name} (layer {mine}) imports a higher layer: {upward}"


@pytest.mark.parametrize(
    "name", sorted(n for n in MODULES if _top(n) not in INTERFACES), ids=lambda n: n
)
def test_core_does_not_import_interface_libraries(name: str) -> None:
    bad = sorted({m for m, _ in _imports(name) if m.split(".")[0] in INTERFACE_LIBRARIES})
    assert not bad, f"{name} imports {bad}"


def test_public_face_is_lazy_and_torch_free() -> None:
    import subprocess
    import sys

    code = (
        "import sys, kompass_search as k\n"
        "assert not any(m.split('.')[0] in ('torch', 'faiss', 'numpy', 'typer') for m in sys.modules)\n"
        "assert k.Searcher and k.Filters and k.load_corpus and k.prepare_index\n"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
