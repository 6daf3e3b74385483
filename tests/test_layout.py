"""The package's shape, read from the source with `ast`: layers, no cycles, one web framework edge, small modules.

The layers follow a question's journey (README, "Layout"): the edges call the service, which calls triage,
then search and composition, over the corpus and a small shared base. A module may import its own layer or any
layer below it, never one above. Composition reads search's hits and index, so in import terms it sits just
above search although it runs after it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ROOT

PACKAGE = ROOT / "bot"
# Top to bottom. A module belongs to the first entry naming it or one of its parent packages.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("edges", ("bot.__main__", "bot.cli", "bot.api")),
    ("channels", ("bot.channels", "bot.evaluate", "bot.shortlinks")),
    ("loader", ("bot.loader",)),
    ("standby", ("bot.standby",)),
    ("service", ("bot.service", "bot.answercache")),
    ("triage", ("bot.triage",)),
    ("compose", ("bot.cardanswer", "bot.compose")),
    ("search", ("bot.search",)),
    ("corpus", ("bot.corpus",)),
    ("words", ("bot.lexicon", "bot.lang", "bot.text", "bot.ngrams")),
    ("state", ("bot.state", "bot.ratelimit")),
    (
        "base",
        ("bot.config", "bot.errors", "bot.logging", "bot.metrics", "bot.privacy", "bot.vocab", "bot.tuning", "bot"),
    ),
)
WEB_FRAMEWORKS = ("fastapi", "starlette")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        # "bot" itself (the version) is the root package, not a prefix of every module.
        if any(module == p or (p != "bot" and module.startswith(p + ".")) for p in prefixes):
            return rank
    raise AssertionError(f"{module} is in no layer of tests/test_layout.py: add it where it belongs")


def _imports(module: str) -> Iterator[tuple[str, int]]:
    """Every module named by an import in `module` (at any depth, type-checking blocks included), with its line."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield (f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base), node.lineno


def _internal(name: str) -> str | None:
    """The bot module an imported name lives in, or None for a third-party import."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for name, _ in _imports(module):
            target = _internal(name)
            if target is not None and target != module:
                graph[module].add(target)
    return graph


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        _layer(module)


def test_imports_never_point_up_the_journey() -> None:
    upward = []
    for module in MODULES:
        for name, line in _imports(module):
            target = _internal(name)
            if target is not None and _layer(target) < _layer(module):
                upward.append(
                    f"{MODULES[module].relative_to(ROOT)}:{line}: {module} ({LAYERS[_layer(module)][0]}) "
                    f"imports {target} ({LAYERS[_layer(target)][0]})"
                )
    assert upward == []


def test_there_are_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)


def test_only_the_api_package_imports_a_web_framework() -> None:
    found = [
        f"{MODULES[m].relative_to(ROOT)}:{line}: {name}"
        for m in MODULES
        if not (m == "bot.api" or m.startswith("bot.api."))
        for name, line in _imports(m)
        if name.split(".")[0] in WEB_FRAMEWORKS
    ]
    assert found == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_and_functions_stay_small(module: str) -> None:
    path = MODULES[module]
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)} is over {MAX_MODULE_LINES} lines"
    long = [
        f"{node.name} (line {node.lineno}, {node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == [], f"{path.relative_to(ROOT)}: functions over {MAX_FUNCTION_LINES} lines: {', '.join(long)}"
