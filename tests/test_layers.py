"""The layout holds: data flows one way (sources, worker, store, analysis,
presentation), no import circle inside `forensics`, no private name
imported from another module, no module past 500 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "forensics"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in the file,
    at any depth (a function's lazy import is an edge too), resolved to
    absolute names; imports under `if TYPE_CHECKING:` are left out, as they
    never run."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text())
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names = [a.name for a in node.names]
            out.append((module, names))
            # `from . import x` imports the module x
            out += [
                (f"{module}.{n}", [])
                for n in names
                if (PACKAGE.parent / f"{module}.{n}".replace(".", "/")).exists()
                or (PACKAGE.parent / (f"{module}.{n}".replace(".", "/") + ".py")).exists()
            ]
    return out


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges = set()
        for module, _ in _imports(path):
            if module.startswith("forensics") and module in modules and module != name:
                edges.add(module)
        graph[name] = edges
    return graph


def test_no_import_circle_inside_the_package() -> None:
    """A package's `__init__` re-exporting its modules is not a circle;
    any other path back to where it started is."""
    graph = _graph()

    def parents(module: str) -> set[str]:
        parts = module.split(".")
        return {".".join(parts[:i]) for i in range(1, len(parts))}

    circles = []
    for start in sorted(graph):
        stack, seen = [(start, (start,))], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    if not any(m in parents(start) or start in parents(m) for m in trail[1:]):
                        circles.append(" -> ".join((*trail, nxt)))
                elif nxt not in seen and nxt not in parents(start):
                    seen.add(nxt)
                    stack.append((nxt, (*trail, nxt)))
    assert not circles, "\n".join(sorted(circles)[:10])


def test_no_private_name_is_imported_from_another_module() -> None:
    bad = [
        f"{path.relative_to(PACKAGE.parent)}: {module}.{name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for module, names in _imports(path)
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not bad, bad


def test_no_module_is_past_500_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 500
    }
    assert not long, long


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return run.stdout.split()


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (
            "forensics.store.views, forensics.store.writer, forensics.store.custody",
            ("forensics.analysis", "forensics.report", "forensics.run", "pandas"),
        ),
        (
            "forensics.sources, forensics.sources.reread",
            (
                "forensics.store",
                "forensics.analysis",
                "forensics.report",
                "forensics.run",
                "forensics.pipeline",
                "forensics.extractors",
            ),
        ),
        ("forensics.analysis.case", ("forensics.report", "forensics.run", "forensics.cli")),
        ("forensics.pipeline", ("forensics.store", "forensics.analysis", "forensics.report")),
    ],
)
def test_data_flows_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    loaded = _loaded_after(f"import {layer}")
    bad = [m for m in loaded if m.startswith(forbidden)]
    assert not bad, bad


def test_problems_are_made_through_flag() -> None:
    """`records.flag` checks a problem's kind against the documented list:
    a `Problem` built by hand anywhere else would bypass it."""
    built = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "records.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
                built.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not built, built
