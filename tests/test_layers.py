"""Lower layers never import higher ones; nothing imports the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "summarizer"
LAYERS = [
    "errors", "schema", "articles", "lexicon", "figures", "candidates", "text", "names", "quotes", "evidence",
    "alignment", "grounding", "prompts", "backend", "llm", "local", "workers", "api", "cache", "batch", "render", "evaluate", "testing", "cli",
]  # fmt: skip
THIRD_PARTY_MODEL_LIBRARIES = {"openai", "instructor", "tenacity"}


def _imports(path: Path) -> tuple[set[str], set[str]]:
    own, external = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            own.update((node.module or "").split(".")[:1] if node.module else (a.name for a in node.names))
        elif isinstance(node, ast.ImportFrom) and node.module:
            external.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            external.update(a.name.split(".")[0] for a in node.names)
    return own, external


def test_every_module_has_a_layer() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert modules == set(LAYERS)


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for name in LAYERS:
        own, _ = _imports(PACKAGE / f"{name}.py")
        upward += [f"{name} -> {target}" for target in own if target in LAYERS and LAYERS.index(target) > LAYERS.index(name)]
    assert upward == []


def test_only_the_model_layer_imports_the_model_libraries() -> None:
    importers = {name for name in LAYERS if _imports(PACKAGE / f"{name}.py")[1] & THIRD_PARTY_MODEL_LIBRARIES}
    assert importers == {"llm"}


def test_the_cli_starts_without_loading_the_model_libraries() -> None:
    import subprocess
    import sys

    probe = "import sys, summarizer.cli; print(sorted(m for m in ('openai', 'instructor', 'tenacity') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", "openai/Instructor cost half a second at start-up: import them only when a model is asked"
