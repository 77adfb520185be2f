"""Dependencies point one way: the core never imports the CLI or TUI layers (typer, textual)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "kompass_search"
CORE = sorted(p for p in PKG.rglob("*.py") if not {"cli", "tui"} & set(p.relative_to(PKG).parts))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            found.add(("." * node.level) + mod)
            found |= {f"{'.' * node.level}{mod}.{a.name}" for a in node.names}
    return found


def test_there_is_a_core() -> None:
    assert len(CORE) > 10


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PKG)))
def test_core_module_does_not_import_interfaces(path: Path) -> None:
    bad = {
        name
        for name in _imports(path)
        if name.split(".")[0] in ("typer", "textual", "click", "rich")
        or any(part in ("cli", "tui") for part in name.lstrip(".").split(".")[:2])
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"
