"""The embedded model server: started on demand, stopped on exit, never orphaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from summarizer.errors import ConfigurationError
from summarizer.model.local import EmbeddedServer, default_gguf_path

pytest.importorskip("llama_cpp", reason="the 'local' extra is not installed")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it has exited all the same.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


def test_default_model_ships_in_a_registry_package() -> None:
    path = default_gguf_path()
    assert path.suffix == ".gguf" and path.stat().st_size > 50_000_000


def test_server_starts_on_loopback_and_stops() -> None:
    server = EmbeddedServer()
    with server:
        assert server.base_url and server.base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.base_url + "/models", timeout=5) as response:
            assert b"SmolLM2-135M-Instruct" in response.read()
        pid = server._process.pid  # type: ignore[union-attr]
    assert server.base_url is None and _wait_gone(pid, 10)


def test_server_dies_with_a_killed_parent(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = (
        "import time, pathlib\n"
        "from summarizer.model.local import EmbeddedServer\n"
        "s = EmbeddedServer(); s.start()\n"
        f"pathlib.Path({str(pid_file)!r}).write_text(str(s._process.pid))\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 120
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    child = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _wait_gone(child, 15), "the llama.cpp server outlived its killed parent"


def test_missing_gguf_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not found"):
        EmbeddedServer(gguf=tmp_path / "absent.gguf").start()


def test_missing_extra_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llama_cpp" else real(name, *a))
    with pytest.raises(ConfigurationError, match=r"summarizer\[local\]"):
        EmbeddedServer().start()
