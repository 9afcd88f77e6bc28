"""The layers stay honest: only parstudio.ui touches Qt, the UI never touches the database layer,
and the domain is pure Python."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "parstudio"
DOMAIN_ALLOWED = ("parstudio.domain", "biip")


def imports_of(path: Path) -> list[str]:
    """Every module a file imports, absolute (relative imports resolved against the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: list[str] = []
    for node in ast.walk(tree):
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


def test_the_checks_see_imports() -> None:
    """The walker really finds both import forms (so an empty list above means something)."""
    ui_modules = [module for module, _ in modules() if is_under(module, "parstudio.ui")]
    assert "parstudio.ui.shell.main_window" in ui_modules
    sample = PACKAGE / "ui" / "shell" / "database.py"
    names = imports_of(sample)
    assert "PySide6.QtWidgets" in names
    assert "parstudio.services.core.urls.describe_url" in names
