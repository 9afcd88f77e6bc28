"""The layers stay honest: only parstudio.ui touches Qt, the UI never touches the database layer,
the domain is pure Python, services/core imports no feature, and no import cycle hides anywhere
(function-level imports included)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "parstudio"
DOMAIN_ALLOWED = ("parstudio.domain", "biip")


def _type_checking_only(tree: ast.AST) -> set[ast.AST]:
    """The import statements under ``if TYPE_CHECKING:`` (read by type checkers, never run)."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
            (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
            or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
        ):
            for statement in node.body:
                found.update(ast.walk(statement))
    return found


def imports_of(path: Path, *, runtime_only: bool = False) -> list[str]:
    """Every module a file imports, absolute (relative imports resolved against the package);
    ``runtime_only`` leaves out the imports under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    skipped = _type_checking_only(tree) if runtime_only else set()
    found: list[str] = []
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append(module)
            found.extend(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules() -> list[tuple[str, Path]]:
    return [
        (".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts), path)
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def import_graph() -> dict[str, set[str]]:
    """Which package modules each module imports (a package is named without ``.__init__``).

    Every import that runs counts, at module level or inside a function: an import deferred
    into a function only hides a cycle until the day someone moves it to the top. Imports under
    ``if TYPE_CHECKING:`` never run, so a type annotation may name a module that imports this one.
    """
    paths = {module.removesuffix(".__init__"): path for module, path in modules()}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets: set[str] = set()
        for name in imports_of(path, runtime_only=True):
            while name and name not in paths:  # "a.b.c.function" is module "a.b.c"
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's strongly connected
    components of more than one module), each sorted, found without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_only_the_ui_imports_pyside() -> None:
    offenders = [
        f"{module} imports {name}"
        for module, path in modules()
        if not is_under(module, "parstudio.ui")
        for name in imports_of(path)
        if is_under(name, "PySide6")
    ]
    assert offenders == []


def test_the_ui_never_imports_sqlalchemy_or_models() -> None:
    offenders = [
        f"{module} imports {name}"
        for module, path in modules()
        if is_under(module, "parstudio.ui")
        for name in imports_of(path)
        if is_under(name, "sqlalchemy") or is_under(name, "parstudio.models")
    ]
    assert offenders == []


def test_the_domain_is_pure_python() -> None:
    stdlib = sys.stdlib_module_names | {"__future__"}
    offenders = [
        f"{module} imports {name}"
        for module, path in modules()
        if is_under(module, "parstudio.domain")
        for name in imports_of(path)
        if name.split(".")[0] not in stdlib
        and not any(is_under(name, allowed) for allowed in DOMAIN_ALLOWED)
    ]
    assert offenders == []


def test_no_import_cycle_in_the_package() -> None:
    assert cycles(import_graph()) == []


def test_services_core_imports_no_feature() -> None:
    """Opening a database, the unit of work, the guard and the audit trail stand alone: a
    feature is given to them (like the sign-in check), never imported by them."""
    allowed = ("parstudio.domain", "parstudio.models", "parstudio.services.core")
    offenders = [
        f"{module} imports {name}"
        for module, path in modules()
        if is_under(module, "parstudio.services.core")
        for name in imports_of(path)
        if is_under(name, "parstudio") and not any(is_under(name, ok) for ok in allowed)
    ]
    assert offenders == []


def test_the_cycle_finder_finds_cycles() -> None:
    """Two circles, one through three modules, and a module that is only imported."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e"}}
    assert sorted(cycles(graph)) == [["a", "b", "c"], ["e", "f"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_import_graph_sees_function_level_imports() -> None:
    """``database.py`` imports the write guard inside ``open_database``: the graph has it; a
    type-only import (``page.py`` names the Database under TYPE_CHECKING) is not in it."""
    graph = import_graph()
    assert "parstudio.services.core.database" not in graph["parstudio.ui.kit.page"]
    assert "parstudio.services.core.database" in imports_of(PACKAGE / "ui" / "kit" / "page.py")
    assert "parstudio.services.core.guard" in graph["parstudio.services.core.database"]
    assert "parstudio.services.core.database" in graph["parstudio.services.core.store"]
    assert "parstudio.services.counting" in graph


def test_the_checks_see_imports() -> None:
    """The walker really finds both import forms (so an empty list above means something)."""
    ui_modules = [module for module, _ in modules() if is_under(module, "parstudio.ui")]
    assert "parstudio.ui.shell.main_window" in ui_modules
    sample = PACKAGE / "ui" / "shell" / "database.py"
    names = imports_of(sample)
    assert "PySide6.QtWidgets" in names
    assert "parstudio.services.core.urls.describe_url" in names
