"""No module cycles among the project's modules (#13, "the house in order").

An ast walk over every module outside tests and migrations: the imports executed when the
module is imported (module level, not inside functions, not under ``TYPE_CHECKING``). A cycle
there makes the import order matter; this test fails naming the modules of each cycle. A cycle
hidden behind an import inside a function is still one: the deferred imports count for the
cycles between apps (none) and between modules (only the known ones below).
"""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the fazhi package


def _name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _name(p): p
    for p in ROOT.rglob("*.py")
    if "tests" not in p.parts and "migrations" not in p.parts
}


def _imports(path: pathlib.Path, *, deferred: bool = False) -> set[str]:
    found: set[str] = set()
    package = _name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]

    def walk(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if not deferred and isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            ):
                continue  # deferred: runs when called
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    up = package[: len(package) - child.level + 1]
                    base = ".".join([*up, base] if base else up)
                for alias in child.names:
                    sub = f"{base}.{alias.name}"
                    found.add(sub if sub in MODULES else base)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            walk(child)

    walk(ast.parse(path.read_text()))
    return {m for m in found if m in MODULES and m != _name(path)}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def test_no_import_time_cycles():
    graph = {name: _imports(path) for name, path in MODULES.items()}
    # the walk sees real edges (a module-level import, not a deferred one)
    assert "fazhi.procedures.snapshots" in graph["fazhi.procedures.permissions"]
    assert "fazhi.procedures.services" not in graph["fazhi.procedures.links"]  # deferred there
    assert _cycles(graph) == []


def test_the_walk_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


# Cycles through an import inside a function that stay, each with its reason. A new one fails.
KNOWN_DEFERRED_CYCLES = [
    # Two model modules of one app: a Django app's models are one unit (the queryset of
    # Matter filters by MatterAssistant, whose model points at Matter).
    ["fazhi.procedures.models.links", "fazhi.procedures.models.matter"],
]


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def test_no_cycle_between_apps_even_through_deferred_imports():
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges = graph.setdefault(_app(name), set())
        edges.update(_app(m) for m in _imports(path, deferred=True) if _app(m) != _app(name))
    assert "fazhi.procedures" in graph["fazhi.indicators"]  # the walk sees the apps' edges
    assert _cycles(graph) == []


def test_no_new_cycle_through_deferred_imports():
    graph = {name: _imports(path, deferred=True) for name, path in MODULES.items()}
    # an import inside a function is an edge here (it is not at import time)
    assert "fazhi.procedures.models.links" in graph["fazhi.procedures.models.matter"]
    assert "fazhi.procedures.models.links" not in _imports(
        MODULES["fazhi.procedures.models.matter"]
    )
    new = [c for c in _cycles(graph) if c not in KNOWN_DEFERRED_CYCLES]
    assert new == []
