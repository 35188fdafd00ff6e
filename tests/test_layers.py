"""The layering, as a test: packages and modules import only from below; nothing imports the CLI.

Layers, bottom up. A package's modules may import one another (each package's
own order is its business); across layers, imports go downward only, and no
module imports a ``_private`` name from another package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
LAYERS = [
    "errors", "schema", "articles", "rules", "grounding", "model", "results", "chunking", "api", "batch",
    "render", "evaluate", "export", "testing", "cli",
]  # fmt: skip
"""Each entry is a module (``summarizer/NAME.py``) or a package (``summarizer/NAME/``)."""
THIRD_PARTY_MODEL_LIBRARIES = {"openai", "instructor", "tenacity"}


def _layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py" and not (p.parent == PACKAGE and p.name == "__init__.py"))


_TREES = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _modules()}
"""Every module parsed once, when the tests are collected: on CPython 3.11 ``ast.parse`` can fail with "AST constructor
recursion depth mismatch" while another thread compiles code (python/cpython#106905), and by the time these tests run
earlier ones may have left such threads (a model client's loop, an import off the event loop)."""


def _own_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(target layer, imported names) for each import of the package's own modules."""
    found = []
    depth = len(path.relative_to(PACKAGE).parts) - 1  # 0 for summarizer/x.py, 1 for summarizer/pkg/x.py
    for node in ast.walk(_TREES[path]):
        if not isinstance(node, ast.ImportFrom):
            continue
        names = [alias.name for alias in node.names]
        if node.level == 0 and (node.module or "").startswith("summarizer"):
            parts = (node.module or "").split(".")[1:]
        elif node.level > depth:
            parts = (node.module or "").split(".") if node.module else names[:1]
        elif node.level >= 1:
            continue  # inside the same package
        else:
            continue
        found.append((parts[0] if parts else names[0], names))
    return found


def _external_imports(path: Path) -> set[str]:
    external = set()
    for node in ast.walk(_TREES[path]):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            external.update(alias.name.split(".")[0] for alias in node.names)
    return external


def test_every_module_and_package_has_a_layer() -> None:
    present = {_layer_of(path) for path in _modules()}
    assert present <= set(LAYERS), present - set(LAYERS)
    assert set(LAYERS) - present <= {"export"}  # a layer may be planned before it exists


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for path in _modules():
        layer = _layer_of(path)
        for target, _ in _own_imports(path):
            if target in LAYERS and LAYERS.index(target) > LAYERS.index(layer):
                upward.append(f"{path.relative_to(PACKAGE)} -> {target}")
    assert upward == []


def test_no_module_imports_a_private_name_of_another_package() -> None:
    reaching = []
    for path in _modules():
        for target, names in _own_imports(path):
            reaching += [f"{path.relative_to(PACKAGE)} -> {target}.{name}" for name in names if name.startswith("_")]
    assert reaching == []


def test_only_the_model_package_imports_the_model_libraries() -> None:
    importers = {str(path.relative_to(PACKAGE)) for path in _modules() if _external_imports(path) & THIRD_PARTY_MODEL_LIBRARIES}
    assert importers == {"model/llm.py"}


def test_no_module_is_longer_than_900_lines() -> None:
    long = {str(path.relative_to(PACKAGE)): n for path in _modules() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 900}
    assert long == {}


def test_the_cli_starts_without_loading_the_model_libraries() -> None:
    import subprocess
    import sys

    probe = "import sys, summarizer.cli; print(sorted(m for m in ('openai', 'instructor', 'tenacity') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", "openai/Instructor cost half a second at start-up: import them only when a model is asked"
