"""The README's install commands and CI build llama-cpp-python the same lean way, with files that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cmake_args_given_to_pip(path: Path) -> list[str]:
    return re.findall(r'CMAKE_ARGS="([^"]*)" \.venv/bin/pip install', path.read_text(encoding="utf-8"))


def _cmake_defines(cmake_args: str) -> dict[str, str]:
    """``-DNAME=VALUE`` arguments as a dict, with ``$PWD`` standing for the repository root (the commands run there)."""
    arguments = shlex.split(cmake_args.replace("$PWD", str(ROOT)))
    return dict(argument.removeprefix("-D").split("=", 1) for argument in arguments)


def test_readme_and_ci_pass_the_same_cmake_args_to_pip() -> None:
    found = _cmake_args_given_to_pip(ROOT / "README.md") + _cmake_args_given_to_pip(ROOT / ".ci" / "run")
    assert len(found) == 3, "the README's two install commands and .ci/run each pass CMAKE_ARGS to pip"
    assert len(set(found)) == 1


def test_the_cmake_args_leave_out_what_the_embedded_server_never_loads() -> None:
    (cmake_args,) = set(_cmake_args_given_to_pip(ROOT / ".ci" / "run"))
    defines = _cmake_defines(cmake_args)
    assert defines["LLAVA_BUILD"] == "OFF"  # the multimodal library (libmtmd)
    hook = Path(defines["CMAKE_PROJECT_llama.cpp_INCLUDE"])
    assert hook.is_file(), "a missing file fails the build of llama-cpp-python"
    assert re.search(r"set\(LLAMA_BUILD_COMMON OFF CACHE BOOL .* FORCE\)", hook.read_text(encoding="utf-8"))
