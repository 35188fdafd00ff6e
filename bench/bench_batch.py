"""Batch throughput, per-record overhead and memory. Prints figures; asserts nothing.

    python bench/bench_batch.py                       # full run, about 3 minutes on 2 cores
    python bench/bench_batch.py --records 40 --latency 0.2 --overhead-records 100 --memory-records 10000

The model is a ScriptedServer in a process of its own, as a real endpoint
would be: its CPU is not counted as ours (it still shares this machine's cores).

1. Scaling: ``--records`` articles against a ScriptedServer that answers after
   ``--latency`` seconds, at concurrency 1, 4, 16 and 64; wall time against
   the ideal records x latency / concurrency (target: >= 90 % of ideal at 16)
   and against the bound of whole rounds, ceil(records / concurrency) x latency.
2. Overhead: the same with latency 0 on a ~1,000-word article (GUM_news_nasa):
   everything but the model (parse, evidence, prompt, HTTP on loopback,
   validation, grounding, JSON line, write) in ms per record (target < 5 ms),
   in one process (workers 0) and with the batch's default worker processes
   (as the CLI chooses them); the median of ``--repeats`` runs, and their
   range, since a shared VM's speed drifts. Then the CPU each process spent per
   record (ours, and the model server's, which shares the cores here), and
   stage by stage where one process's time goes. The seed article in
   ../shared/corpus (or $SUMMARIZER_CORPUS) is timed too when present.
3. Memory: peak RSS of a child process running ``--memory-records`` small
   records through the rules-only pipeline (no model), against its RSS after
   imports, and the Python heap's peak over 1,000 and 10,000 records. The
   input is streamed; what grows is the set of ids seen (duplicate detection),
   about 100 bytes a record.
4. Workers: whether worker processes pay against a model at 0.5 s and 2 s
   latency, concurrency 4 and 16, workers 0 against one per core
   (``--only workers``).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import multiprocessing
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarizer import api  # noqa: E402
from summarizer.api import Summarizer  # noqa: E402
from summarizer.batch import BatchOutcome, run_batch  # noqa: E402
from summarizer.model import llm  # noqa: E402
from summarizer.testing import ScriptedServer, answer  # noqa: E402

GUM = REPO / "tests" / "data" / "gum-news" / "articles.jsonl"
SEED = Path(os.environ.get("SUMMARIZER_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")) / "iran-qatar-2025-02-20.txt"  # never copied
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]{12,200})[\"\u201d]")


def gum_articles() -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in map(json.loads, GUM.read_text(encoding="utf-8").splitlines())}


def digest_for(text: str) -> dict[str, Any]:
    """A plausible model answer: quotes really in the text, so grounding does its usual work."""
    quotes = [{"text": match.group(1), "speaker": None, "kind": "direct"} for match in QUOTED.finditer(text)][:5]
    return {"summary": text.split("\n\n")[0][:200], "key_points": ["One.", "Two."], "actors": [], "quotes": quotes, "figures": [], "stances": []}


def write_records(path: Path, texts: list[str], count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"r{n}", "text": copy(texts[n % len(texts)], n)}) + "\n")


def copy(text: str, n: int) -> str:
    """Record n's text: the article plus its number, so that no in-process reuse (the
    aligner shared by the re-ask check and grounding) carries over from one record to the next."""
    return f"{text}\n\n(Copy {n}.)"


class ServerProcess:
    """A ScriptedServer answering ``content`` after ``delay_s``, in a child process (this script with --serve)."""

    def __init__(self, content: dict[str, Any], *, delay_s: float = 0.0) -> None:
        command = [sys.executable, __file__, "--serve", json.dumps(content), "--latency", str(delay_s)]
        self._child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._child.stdout is not None
        self.base_url = self._child.stdout.readline().strip()
        self.pid = self._child.pid

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._child.stdin is not None
        self._child.stdin.close()  # the child serves until its stdin closes
        self._child.wait(timeout=10)


def serve(content: str, delay_s: float) -> None:
    with ScriptedServer(default=answer(json.loads(content)), delay_s=delay_s) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()


def timed_batch(
    source: Path, *, server: ServerProcess, concurrency: int, workdir: Path, workers: int = 0, cpu: Counter[str] | None = None
) -> tuple[float, int]:
    """Wall seconds and records done; ``cpu`` (if given) gets the CPU seconds of this process, the workers and the server."""
    out = workdir / f"out-{concurrency}-{time.monotonic_ns()}.jsonl"
    with Summarizer(base_url=server.base_url, model="fake") as summarizer:
        before = _cpu_seconds(server)
        started = time.perf_counter()  # worker start-up (about a second) is part of a batch's wall time
        report = run_batch(source, out, summarizer=summarizer, concurrency=concurrency, workers=workers)
        wall = time.perf_counter() - started
        if cpu is not None:
            cpu.update({k: v - before[k] for k, v in _cpu_seconds(server).items()})
    if report.failed:
        raise SystemExit(f"{report.failed} records failed: {report.summary()}")
    return wall, report.ok


def _cpu_seconds(server: ServerProcess) -> Counter[str]:
    """CPU seconds so far of this process, of its worker processes, and of the model server (Linux /proc)."""
    spent: Counter[str] = Counter({"main process": time.process_time()})
    for child in multiprocessing.active_children():  # the workers (started by the forkserver, tracked here)
        spent["workers"] += _process_cpu_seconds(child.pid)
    spent["model server"] = _process_cpu_seconds(server.pid)
    return spent


def _process_cpu_seconds(pid: int | None) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def bench_scaling(args: argparse.Namespace, workdir: Path) -> None:
    articles = list(gum_articles().values())
    source = workdir / "scaling.jsonl"
    write_records(source, [a["text"] for a in articles], args.records)
    print(f"\n1. scaling: {args.records} records, model latency {args.latency:g} s")
    # "bound": every request takes the full latency, so the records go in ceil(records / concurrency)
    # rounds at best (200 at concurrency 64: 4 rounds, not 3.1); its share is what the pipeline costs.
    print(f"{'concurrency':>11} {'workers':>8} {'wall s':>8} {'ideal s':>8} {'of ideal':>9} {'bound s':>8} {'of bound':>9} {'records/s':>10}")
    # One fixed answer for every article: without quotes it grounds everywhere, so no re-asks.
    with ServerProcess(digest_for(""), delay_s=args.latency) as server:
        for concurrency in args.concurrency:
            workers = 0  # the CLI's default
            wall, ok = timed_batch(source, server=server, concurrency=concurrency, workdir=workdir, workers=workers)
            ideal = args.records * args.latency / concurrency
            bound = math.ceil(args.records / concurrency) * args.latency
            print(f"{concurrency:>11} {workers:>8} {wall:>8.2f} {ideal:>8.2f} {ideal / wall:>8.0%} {bound:>8.2f} {bound / wall:>8.0%} {ok / wall:>10.1f}")


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def bench_workers(args: argparse.Namespace, workdir: Path) -> None:
    """Do worker processes pay at a real model's latency? Throughput with none and one per core."""
    articles = list(gum_articles().values())
    source = workdir / "workers.jsonl"
    write_records(source, [a["text"] for a in articles], args.worker_records)
    cores = usable_cores()
    print(f"\n4. worker processes: {args.worker_records} records, workers 0 against {cores} (one per core)")
    print(f"{'latency s':>9} {'concurrency':>11} {'workers':>8} {'wall s':>8} {'records/s':>10}")
    for latency in (0.5, 2.0):
        with ServerProcess(digest_for(""), delay_s=latency) as server:
            for concurrency in (4, 16):
                for workers in (0, cores):
                    wall, ok = timed_batch(source, server=server, concurrency=concurrency, workdir=workdir, workers=workers)
                    print(f"{latency:>9g} {concurrency:>11} {workers:>8} {wall:>8.2f} {ok / wall:>10.2f}")


def bench_overhead(args: argparse.Namespace, workdir: Path) -> None:
    texts = {"GUM_news_nasa (1,093 words)": gum_articles()["GUM_news_nasa"]["text"]}
    if SEED.is_file():
        seed = SEED.read_text(encoding="utf-8")
        texts[f"seed article ({len(seed.split())} words)"] = seed
    print(f"\n2. per-record overhead, latency 0, {args.overhead_records} records, median of {args.repeats} runs")
    print(f"{'article':<30} {'concurrency':>11} {'workers':>8} {'ms/record':>10} {'range':>13}")
    for label, text in texts.items():
        source = workdir / "overhead.jsonl"
        write_records(source, [text], args.overhead_records)
        with ServerProcess(digest_for(text)) as server:
            for concurrency in (1, 4, 16):
                for workers in sorted({0, min(concurrency, usable_cores())} if concurrency > 1 else {0}):
                    cpu: Counter[str] = Counter()
                    runs = [timed_batch(source, server=server, concurrency=concurrency, workdir=workdir, workers=workers, cpu=cpu) for _ in range(args.repeats)]
                    per_record = sorted(1000 * wall / ok for wall, ok in runs)
                    spread = f"{per_record[0]:.2f}–{per_record[-1]:.2f}"
                    print(f"{label:<30} {concurrency:>11} {workers:>8} {statistics.median(per_record):>10.2f} {spread:>13}")
                    records = sum(ok for _, ok in runs)
                    print("   CPU per record: " + ", ".join(f"{name} {1000 * seconds / records:.2f} ms" for name, seconds in cpu.items() if seconds))
            loop_ms = summarize_ms(text, server=server, count=args.overhead_records // 3)
            print(f"{label:<30} {'no batch':>11} {0:>8} {loop_ms:>10.2f}   (Summarizer.summarize in a loop)")
            print(f"{label:<30} {'rules':>11} {0:>8} {rules_ms(text, count=args.overhead_records // 3):>10.2f}   (use_llm=False: evidence + grounding only)")
            print_stages(text, server=server, count=args.overhead_records // 3)


def print_stages(text: str, *, server: ServerProcess, count: int) -> None:
    """Where a record's time goes: each stage of ``Summarizer.summarize`` timed in place, in ms per record."""
    spent: Counter[str] = Counter()
    stages = {
        "parse (prepare)": (api.Summarizer, "prepare"),
        "rule evidence": (api, "find_evidence"),
        "prompt": (api, "render_messages"),
        "model call: HTTP, Instructor, re-ask check": (llm.ModelClient, "extract"),
        "  of which the re-ask check": (api, "check_answer"),
        "grounding": (api, "ground"),
        "result object": (api.Summarizer, "_finish"),
    }
    originals = {label: getattr(owner, name) for label, (owner, name) in stages.items()}
    for label, (owner, name) in stages.items():
        setattr(owner, name, _timed(originals[label], label, spent))
    try:
        with Summarizer(base_url=server.base_url, model="fake") as summarizer:
            summarizer.summarize(text)
            spent.clear()
            started = time.perf_counter()
            for n in range(count):
                result = summarizer.summarize(copy(text, n))
                started_line = time.perf_counter()
                BatchOutcome("x", result=result).line()
                spent["JSON line"] += time.perf_counter() - started_line
            total = time.perf_counter() - started
    finally:
        for label, (owner, name) in stages.items():
            setattr(owner, name, originals[label])
    print(f"   where the time goes (inline, one record at a time): {1000 * total / count:.2f} ms/record")
    for label in [*stages, "JSON line"]:
        print(f"     {label:<45} {1000 * spent[label] / count:>6.2f}")


def _timed(function: Any, label: str, spent: Counter[str]) -> Any:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - started

    return timed


def summarize_ms(text: str, *, server: ServerProcess, count: int) -> float:
    """The same work without the batch layer, to see what the batch adds."""
    with Summarizer(base_url=server.base_url, model="fake") as summarizer:
        summarizer.summarize(text)  # warm the client's connection
        started = time.perf_counter()
        for n in range(count):
            summarizer.summarize(copy(text, n))
        return 1000 * (time.perf_counter() - started) / count


def rules_ms(text: str, *, count: int) -> float:
    with Summarizer(use_llm=False) as summarizer:
        started = time.perf_counter()
        for n in range(count):
            summarizer.summarize(copy(text, n))
        return 1000 * (time.perf_counter() - started) / count


def bench_memory(args: argparse.Namespace, workdir: Path) -> None:
    source = workdir / "memory.jsonl"
    texts = [f'Officials in city {n} said on Monday that {n * 7} people attended. "It went well," the mayor said.' for n in range(1000)]
    write_records(source, texts, args.memory_records)
    print(f"\n3. memory: {args.memory_records:,} small records, rules only ({source.stat().st_size / 1e6:.1f} MB of JSONL)")
    child = subprocess.run([sys.executable, __file__, "--memory-child", str(source)], capture_output=True, text=True, check=True)
    print(child.stdout.rstrip())


def memory_child(source: Path) -> None:
    """Runs in a fresh process, so its peak RSS is the batch's alone."""
    before, before_peak = _status_mb("VmRSS"), _status_mb("VmHWM")
    with Summarizer(use_llm=False) as summarizer:
        report = run_batch(source, source.with_suffix(".out"), summarizer=summarizer, concurrency=16)
        peak = max(_status_mb("VmHWM"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(f"   RSS after imports {before:.0f} MB (peak so far {before_peak:.0f} MB); peak RSS after the batch {peak:.0f} MB")
        print(f"   {report.summary()}; {1000 * report.wall_s / max(report.records, 1):.2f} ms/record rules-only")
        # RSS mixes in allocator slack; the Python heap's peak shows whether memory grows with the input.
        for count in (1_000, 10_000):
            print(f"   Python heap peak (tracemalloc) over the first {count:,} records: {_heap_peak_mb(source, count, summarizer=summarizer):.1f} MB")


def _heap_peak_mb(source: Path, count: int, *, summarizer: Summarizer) -> float:
    part = source.with_name(f"first-{count}.jsonl")
    with open(source, encoding="utf-8") as full, open(part, "w", encoding="utf-8") as out:
        out.writelines(line for _, line in zip(range(count), full))
    tracemalloc.start()
    run_batch(part, part.with_suffix(".out"), summarizer=summarizer, concurrency=16)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (Linux), in MB; 0 elsewhere."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith(field + ":")), 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--overhead-records", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3, help="runs per overhead row; the median is printed")
    parser.add_argument("--memory-records", type=int, default=100_000)
    parser.add_argument("--worker-records", type=int, default=64, help="records per run of the workers table")
    parser.add_argument("--only", choices=["scaling", "overhead", "memory", "workers"], help="run one part")
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.latency)
        return
    if args.memory_child:
        memory_child(args.memory_child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        parts = {"scaling": bench_scaling, "overhead": bench_overhead, "memory": bench_memory, "workers": bench_workers}
        for name, part in parts.items():
            if args.only in (None, name):
                part(args, workdir)


if __name__ == "__main__":
    main()
