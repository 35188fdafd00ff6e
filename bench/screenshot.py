"""Screenshot the HTML view with headless Chromium (Debian package ``chromium``).

    PYTHONPATH=. .venv/bin/python bench/screenshot.py --example -o /tmp/view.png
    PYTHONPATH=. .venv/bin/python bench/screenshot.py RESULT.json -o view.png
    PYTHONPATH=. .venv/bin/python bench/screenshot.py RESULTS.jsonl --id GUM_news_korea --focus q3 -o view.png

(``PYTHONPATH=.`` is only needed while the package is not installed in the venv.)

``--example`` renders the hand-built digest of the Wikinews article
GUM_news_korea from tests/test_render.py. ``--focus REF`` gives one highlight
(``q3``, ``f1``, ``a2``, ``s1``...) keyboard focus on load, so its tooltip shows.
Writes the page beside the PNG (same name, ``.html``) and prints both paths.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

from summarizer.render import render_html
from summarizer.results import read_results
from summarizer.schema import ArticleSummary

REPO = Path(__file__).resolve().parent.parent


def example_summary() -> ArticleSummary:
    """The test suite's korea digest, without the planted hostile markup."""
    spec = importlib.util.spec_from_file_location("test_render", REPO / "tests" / "test_render.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    summary: ArticleSummary = module.korea_summary(planted=False)
    return summary


def pick(path: Path, record_id: str | None) -> ArticleSummary:
    """The record ``record_id`` of a result file, or its first summarized record."""
    for found_id, summary, _error in read_results(path):
        if summary is not None and record_id in (None, found_id):
            return summary
    raise SystemExit(f"no summarized record{' ' + record_id if record_id else ''} in {path}")


def screenshot(page: Path, png: Path, *, width: int, height: int) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium not found: apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                "--virtual-time-budget=2000",
                f"--screenshot={png.resolve()}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("result", nargs="?", type=Path, help="ArticleSummary .json or batch .jsonl")
    source.add_argument("--example", action="store_true", help="render the hand-built GUM_news_korea digest")
    parser.add_argument("--id", help="record id to show from a .jsonl (default: the first ok record)")
    parser.add_argument("--focus", help="id of the highlight to focus on load, to show its tooltip")
    parser.add_argument("-o", "--output", type=Path, default=Path("view.png"), help="PNG to write")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1800)
    args = parser.parse_args(argv)

    summary = example_summary() if args.example else pick(args.result, args.id)
    page_html = render_html(summary)
    if args.focus:
        page_html = page_html.replace(f'id="t-{args.focus}"', f'id="t-{args.focus}" autofocus', 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    page = args.output.with_suffix(".html")
    page.write_text(page_html, encoding="utf-8")
    screenshot(page, args.output, width=args.width, height=args.height)
    print(f"{page}\n{args.output}")


if __name__ == "__main__":
    main()
