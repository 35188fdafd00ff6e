"""Export to SQLite: time and peak memory against the number of digests. Prints figures; asserts nothing.

    python bench/bench_export.py                  # 1,000 and 10,000 digests, about a minute on 2 cores
    python bench/bench_export.py --large          # and 100,000 (about 8 minutes, 1.5 GB of JSONL in a temp folder)
    python bench/bench_export.py --sizes 500 5000

The digests are real: the rules-only digests of the 24 GUM articles in tests/data,
repeated with their ids varied (article text included, as a batch writes it). Each
size is exported into a fresh database by a child process of its own, so its peak
RSS is the export's alone. Printed per size: wall time, ms per digest, the share
spent resolving entities, peak RSS against RSS after imports, and the database's
size; then the growth from one size to the next: time should grow as the number of
digests does (ratio ~1.0 after dividing by it), memory not at all. CPU time (imports
included) is the steadier measure on a shared machine; wall time is printed too.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from summarizer import Summarizer  # noqa: E402
from summarizer.export import ExportReport, export_results  # noqa: E402

GUM = REPO / "tests" / "data" / "gum-news" / "articles.jsonl"
_ID = "\x00id\x00"


def write_digests(path: Path, count: int) -> None:
    """``count`` batch lines cycling through the GUM digests, each with its own id."""
    records = [json.loads(line) for line in GUM.read_text(encoding="utf-8").splitlines()]
    templates = []
    with Summarizer(use_llm=False) as rules:
        for record in records:
            summary = rules.summarize(record["text"], id=_ID, title=record.get("title"), date=record.get("date"))
            templates.append(json.dumps({"id": _ID, "ok": True, "result": summary.model_dump(mode="json")}).replace(json.dumps(_ID), "{id}"))
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            template = templates[number % len(templates)]
            out.write(template.replace("{id}", json.dumps(f"{records[number % len(records)]['id']}#{number}")) + "\n")


def child(source: Path, database: Path) -> None:
    """Runs in a fresh process: export ``source`` and print one JSON line of figures."""
    imported = _status_mb("VmRSS")
    stages: dict[str, float] = {}

    def note(report: ExportReport) -> None:
        stages.setdefault(report.stage, time.perf_counter())

    started = time.perf_counter()
    report = export_results([source], database=database, progress=note)
    figures = {
        "digests": report.digests,
        "entities": report.entities,
        "wall_s": time.perf_counter() - started,
        "cpu_s": _cpu_s(),
        "resolve_s": stages["done"] - stages["resolving entities"],
        "rss_imports_mb": imported,
        "rss_peak_mb": _status_mb("VmHWM"),
        "database_mb": database.stat().st_size / 1e6,
    }
    print(json.dumps(figures))


def _cpu_s() -> float:
    """CPU seconds this process has used (user + system): steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (Linux), in MB; 0 elsewhere."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith(field + ":")), 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--large", action="store_true", help="add 100,000 digests (several minutes)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = sorted({*args.sizes, *([100_000] if args.large else [])})
    print("digests   wall s   CPU s   CPU ms/digest  resolving  RSS imports -> peak MB   database MB   entities   input MB")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            source, database = Path(tmp) / f"digests-{size}.jsonl", Path(tmp) / f"corpus-{size}.db"
            write_digests(source, size)
            output = subprocess.run([sys.executable, __file__, "--child", str(source), str(database)], capture_output=True, text=True)
            if output.returncode != 0:
                sys.exit(f"the export of {size:,} digests failed:\n{output.stderr}")
            figures = json.loads(output.stdout)
            results.append(figures)
            print(
                f"{size:>7,}  {figures['wall_s']:>7.1f}  {figures['cpu_s']:>6.1f}  {1000 * figures['cpu_s'] / size:>14.2f}  {figures['resolve_s'] / figures['wall_s']:>8.0%}"
                f"  {figures['rss_imports_mb']:>11.0f} -> {figures['rss_peak_mb']:<6.0f}  {figures['database_mb']:>12.1f}"
                f"  {figures['entities']:>9,}  {source.stat().st_size / 1e6:>9.0f}"
            )
            source.unlink()
            database.unlink()
    for smaller, larger in zip(results, results[1:]):
        growth = larger["digests"] / smaller["digests"]
        print(
            f"{smaller['digests']:,} -> {larger['digests']:,} digests (x{growth:.0f}): CPU time x{larger['cpu_s'] / smaller['cpu_s']:.1f}"
            f" ({larger['cpu_s'] / smaller['cpu_s'] / growth:.2f} of linear; wall x{larger['wall_s'] / smaller['wall_s']:.1f}),"
            f" peak RSS x{larger['rss_peak_mb'] / smaller['rss_peak_mb']:.2f}"
        )


if __name__ == "__main__":
    main()
