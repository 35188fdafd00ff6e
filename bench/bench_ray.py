"""The Ray engine against the local one on this machine. Prints figures; asserts nothing.

    python bench/bench_ray.py                  # about 3 minutes on 2 cores
    python bench/bench_ray.py --records 200    # a shorter run

The input is the 840 political news articles of ``polnear-train``, read at run
time from ``$SUMMARIZER_CORPUS`` (default: ``../shared/corpus`` beside the
checkout), never copied. The model is a ScriptedServer in a process of its
own, as a real endpoint would be, answering every call with the same short
digest after ``--latency`` seconds.

1. Throughput at ``--latency`` (0.5 s) and ``--concurrency`` (16): the local
   engine (one process, as ``summarizer batch`` runs by default) against
   ``--engine ray`` on a local Ray instance (2 CPUs here: 2 actors sharing
   the 16 calls), as records per second and their ratio, over the whole run
   and after the first line (what a long run sees once the actors are up);
   the ideal is records x latency / concurrency. Then Ray's start-up
   (``ray.init``), the time to the first line (actors starting, one batch),
   and the peak resident memory (VmHWM) of each actor process and of this one.
2. ``--no-llm`` (rules only) over the same corpus: records per second on both
   engines (local in one process, and with 2 worker processes) and the ratio.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarizer.api import Summarizer  # noqa: E402
from summarizer.batch import BatchReport, run_batch, run_ray_batch  # noqa: E402
from summarizer.testing import ScriptedServer, answer  # noqa: E402

CORPUS = Path(os.environ.get("SUMMARIZER_CORPUS", REPO.parent / "shared" / "corpus")) / "polnear-train" / "articles.jsonl"
DIGEST = {"summary": "A scripted summary of the article.", "key_points": ["One.", "Two."], "actors": [], "quotes": [], "figures": [], "stances": []}


class ServerProcess:
    """A ScriptedServer answering DIGEST after ``delay_s``, in a child process (this script with --serve)."""

    def __init__(self, delay_s: float) -> None:
        self._child = subprocess.Popen([sys.executable, __file__, "--serve", str(delay_s)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._child.stdout is not None
        self.base_url = self._child.stdout.readline().strip()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._child.stdin is not None
        self._child.stdin.close()  # the child serves until its stdin closes
        self._child.wait(timeout=10)


def serve(delay_s: float) -> None:
    with ScriptedServer(default=answer(DIGEST), delay_s=delay_s) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


class Timeline:
    """A progress sink that notes when the first line came and when the last did."""

    def __init__(self) -> None:
        self.started = self.first = self.last = 0.0
        self.lines = 0

    def start(self, *, total: int | None) -> None:
        self.started = time.perf_counter()

    def update(self, report: BatchReport) -> None:
        now = time.perf_counter()
        self.first = self.first or now
        self.last, self.lines = now, report.records

    def close(self, report: BatchReport) -> None:
        """Nothing to tidy."""

    def rate_after_first(self) -> float:
        return (self.lines - 1) / max(self.last - self.first, 1e-9)


class ActorMemory:
    """Samples the peak resident memory (VmHWM) of this process's DigestBatches actors while a run goes."""

    def __init__(self) -> None:
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ActorMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for pid in _descendants("DigestBatches"):
                peak = _status_mb(pid, "VmHWM")
                if peak:
                    self.peaks[pid] = max(self.peaks.get(pid, 0.0), peak)


def _descendants(word: str) -> list[int]:
    """Processes started (at any depth) by this one whose command line holds ``word``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
            parent = int(entry.name)
            while parent > 1 and parent != os.getpid():
                parent = int((Path("/proc") / str(parent) / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and word in command:
            found.append(int(entry.name))
    return found


def _status_mb(pid: int | str, field: str) -> float:
    try:
        lines = (Path("/proc") / str(pid) / "status").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith(field + ":")), 0.0)


def timed(run: Callable[[Path, Timeline], BatchReport], workdir: Path) -> tuple[BatchReport, Timeline]:
    out = workdir / f"out-{time.monotonic_ns()}.jsonl"
    timeline = Timeline()
    report = run(out, timeline)
    assert report.ok == report.records, report.summary()
    return report, timeline


def bench_throughput(args: argparse.Namespace, source: Path, workdir: Path, ray_started_s: float) -> None:
    ideal = args.concurrency / args.latency  # records per second
    print(
        f"\n1. {args.records} articles, model latency {args.latency} s, concurrency {args.concurrency}: ideal {args.records * args.latency / args.concurrency:.1f} s"
    )
    with ServerProcess(args.latency) as server:

        def local(out: Path, timeline: Timeline) -> BatchReport:
            with Summarizer(base_url=server.base_url, model="fake") as summarizer:
                return run_batch(source, out, summarizer=summarizer, concurrency=args.concurrency, progress=timeline)

        def on_ray(out: Path, timeline: Timeline) -> BatchReport:
            with Summarizer(base_url=server.base_url, model="fake") as summarizer, memory:
                return run_ray_batch(source, out, summarizer=summarizer, concurrency=args.concurrency, progress=timeline)

        memory = ActorMemory()

        local_report, local_line = timed(local, workdir)
        ray_report, ray_line = timed(on_ray, workdir)
    print(f"{'engine':<8} {'wall s':>8} {'records/s':>10} {'of ideal':>9} {'first line s':>13} {'records/s after it':>19}")
    for name, report, line in (("local", local_report, local_line), ("ray", ray_report, ray_line)):
        rate = report.records / report.wall_s
        print(f"{name:<8} {report.wall_s:>8.1f} {rate:>10.1f} {rate / ideal:>9.0%} {line.first - line.started:>13.2f} {line.rate_after_first():>19.1f}")
    print(
        f"   ray / local, records per second: {local_report.wall_s / ray_report.wall_s:.2f} over the whole run "
        f"(actors starting included; Ray's own start-up, {ray_started_s:.1f} s, not), "
        f"{ray_line.rate_after_first() / local_line.rate_after_first():.2f} after the first line"
    )
    peaks = sorted(memory.peaks.values())
    print(
        f"   peak RSS per actor: {', '.join(f'{mb:.0f} MB' for mb in peaks) or 'not sampled'}; this process (the driver): {_status_mb('self', 'VmHWM'):.0f} MB"
    )


def bench_rules_only(args: argparse.Namespace, source: Path, workdir: Path) -> None:
    print(f"\n2. --no-llm over the same {args.records} articles, concurrency {args.concurrency}")
    rates: dict[str, float] = {}
    with Summarizer(use_llm=False) as rules:
        for name, run in (
            ("local, 1 process", lambda out, line: run_batch(source, out, summarizer=rules, concurrency=args.concurrency, progress=line)),
            ("local, 2 workers", lambda out, line: run_batch(source, out, summarizer=rules, concurrency=args.concurrency, workers=2, progress=line)),
            ("ray, 2 actors", lambda out, line: run_ray_batch(source, out, summarizer=rules, concurrency=args.concurrency, progress=line)),
        ):
            report, line = timed(run, workdir)
            rates[name] = report.records / report.wall_s
            print(f"   {name:<18} {report.wall_s:>6.1f} s  {rates[name]:>6.1f} records/s  ({line.rate_after_first():.1f} after the first line)")
    print(
        f"   ray / local, records per second: {rates['ray, 2 actors'] / rates['local, 1 process']:.2f} (one process), "
        f"{rates['ray, 2 actors'] / rates['local, 2 workers']:.2f} (2 workers)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=840, help="the first N articles of the corpus")
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} is not there (set SUMMARIZER_CORPUS to the corpus folder)")
        return
    import ray
    import ray.data

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = CORPUS
        if args.records < sum(1 for _ in CORPUS.open(encoding="utf-8")):  # the first --records articles, in a temporary file
            source = workdir / "articles.jsonl"
            with open(CORPUS, encoding="utf-8") as corpus:
                source.write_text("".join(line for _, line in zip(range(args.records), corpus)), encoding="utf-8")
        args.records = sum(1 for _ in source.open(encoding="utf-8"))
        started = time.perf_counter()
        ray.init(address="local", num_cpus=os.cpu_count(), include_dashboard=False, _node_ip_address="127.0.0.1", logging_level=logging.ERROR)
        ray_started_s = time.perf_counter() - started
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        try:
            print(f"Ray start-up (ray.init, a local instance with {os.cpu_count()} CPUs): {ray_started_s:.1f} s")
            bench_throughput(args, source, workdir, ray_started_s)
            bench_rules_only(args, source, workdir)
        finally:
            ray.shutdown()


if __name__ == "__main__":
    main()
