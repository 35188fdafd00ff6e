"""The wheel carries what an installed summarizer needs: prompts and HTML templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hatchling.builders.wheel import WheelBuilder

    (built,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path_factory.mktemp("dist")), versions=["standard"])
    return Path(built)


def test_wheel_ships_prompts_templates_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in sorted((ROOT / "prompts").iterdir()):
        assert f"summarizer/prompt_templates/{template.name}" in names
    assert {"summarizer/templates/page.html.j2", "summarizer/templates/view.css", "summarizer/py.typed"} <= names
    assert {"summarizer/export/schema.sql", "summarizer/export/resolve.sql", "summarizer/templates/corpus.html.j2"} <= names
    assert not any(name.startswith(("tests/", "cassettes/", "bench/")) for name in names)


def test_installed_wheel_renders_prompts_from_its_own_copy(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target), str(wheel)], check=True)
    probe = (
        "import summarizer.model.prompts as p, summarizer.render as r\n"
        "from summarizer import make_article\n"
        "print(p.PROMPTS_DIR)\n"
        "print(len(p.render_messages(make_article('A test article.'))))\n"
        "print(r.__file__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(target)}, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == str(target / "summarizer" / "prompt_templates") and out[1] == "2"
    assert out[2].startswith(str(target))
