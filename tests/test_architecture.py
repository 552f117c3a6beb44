"""The package's shape, as ARCHITECTURE.md draws it: every module imports on
its own, no import cycles (imports inside functions and under TYPE_CHECKING
count too), and imports point one way: CLI/API/integrations -> run -> rules,
formatters -> loaders -> foundation (model, text, rule, config...)."""
from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import newslint

PACKAGE = Path(newslint.__file__).resolve().parent

#: The foundation: modules any other part may import.
FOUNDATION = {"version", "lazy", "model", "hookspecs", "config", "text", "rule", "fixes",
              "results", "plugins", "registry", "trust"}
#: What each part may import besides the foundation and itself.
ALLOWED = {
    "loaders": set(),
    "checks": set(),            # a family imports no other family (see family_of)
    "dedup": set(),
    "formatters": set(),
    "run": {"loaders", "dedup"},  # --index: the near-duplicate index beside the rules
    "api": {"run", "dedup", "loaders"},
    "integrations": {"api", "run", "dedup", "loaders"},   # spark: the engine in each worker
    "cli": {"run", "dedup", "loaders", "integrations"},   # `newslint spark`
    "__main__": {"cli"},
    "": {"api"},                # the package itself: the public API
}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("newslint", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every newslint module `name` imports, wherever the import statement is."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{name}: relative import (use absolute ones)"
            # `from package import module` imports the module; names import the package
            targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known
                       else node.module or "" for alias in node.names]
        else:
            continue
        out.update(t for t in targets if t in known and t != name)
    return out


def part_of(module: str) -> str:
    parts = module.split(".")[1:]
    return parts[0] if parts else ""


def family_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "checks" else None


GRAPH = {name: imports_of(name, path, modules()) for name, path in modules().items()}


@pytest.mark.parametrize("module", sorted(set(GRAPH) - {"newslint.__main__"}))  # a script
def test_every_module_imports(module):
    importlib.import_module(module)


def test_the_walk_finds_every_module():
    walked = {m.name for m in pkgutil.walk_packages(newslint.__path__, "newslint.")}
    assert walked | {"newslint"} == set(GRAPH)


def test_no_import_cycles():
    """Tarjan's strongly connected components: a component of more than one
    module is a cycle."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert cycles == []


def test_imports_point_one_way():
    wrong = []
    for module, targets in sorted(GRAPH.items()):
        part = part_of(module)
        for target in sorted(targets):
            other = part_of(target)
            if other == part and part != "checks":
                continue
            if part == "checks" and other == "checks":
                if family_of(target) in (None, family_of(module)) or family_of(module) is None:
                    continue
                wrong.append(f"{module} -> {target} (one rule family imports another)")
                continue
            if part in FOUNDATION and other not in FOUNDATION:
                wrong.append(f"{module} -> {target} (the foundation imports nothing above it)")
            elif part not in FOUNDATION and other not in FOUNDATION | ALLOWED[part]:
                wrong.append(f"{module} -> {target} ({part or 'newslint'} may not import {other})")
    assert wrong == []


def test_every_rule_family_is_a_plugin_registered_by_its_package():
    from newslint.plugins import DEFAULT_PLUGINS
    families = {p.name for p in (PACKAGE / "checks").iterdir() if (p / "__init__.py").is_file()}
    registered = {v.split(".")[2] for v in DEFAULT_PLUGINS.values() if v.startswith("newslint.checks.")}
    assert families == registered
