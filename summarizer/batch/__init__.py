"""Batch conversion: many articles in, one JSONL line out per record, never a lost record.

Input (:mod:`.input`): a JSONL file, a JSON array file, a folder of
.txt/.md/.html files, or ``-`` for standard input. Every record becomes
exactly one output line (:mod:`.output`), in completion order, with its id::

    {"id": "a1", "ok": true, "cached": false, "result": {...ArticleSummary...}}
    {"id": "a2", "ok": false, "error": {"type": "InputError", "message": "...", "attempts": 0}}

:mod:`.run` summarizes the records concurrently (optionally in worker
processes, :mod:`.workers`), answers repeats from the SQLite cache
(:mod:`.cache`) and reports progress (:mod:`.progress`); :mod:`.ray_engine`
runs the same pipeline on a Ray cluster (the ``ray`` extra, imported only then).
"""

from .cache import CacheKey, SummaryCache, cache_key_for, code_fingerprint, default_cache_path
from .input import FOLDER_SUFFIXES, RecordError, RecordInput, RecordOrError, count_records, iter_records
from .output import BatchOutcome, BatchOutput, read_done_ids
from .progress import BatchReport, ProgressSink, progress_display
from .ray_engine import DigestBatches, run_ray_batch
from .run import BACKEND_DOWN_AFTER, DEFAULT_RECORD_TIMEOUT_S, asummarize_many, read_in_thread, run_batch, summarize_many

__all__ = [
    "BACKEND_DOWN_AFTER",
    "DEFAULT_RECORD_TIMEOUT_S",
    "FOLDER_SUFFIXES",
    "BatchOutcome",
    "BatchOutput",
    "BatchReport",
    "CacheKey",
    "DigestBatches",
    "ProgressSink",
    "RecordError",
    "RecordInput",
    "RecordOrError",
    "SummaryCache",
    "asummarize_many",
    "cache_key_for",
    "code_fingerprint",
    "count_records",
    "default_cache_path",
    "iter_records",
    "progress_display",
    "read_done_ids",
    "read_in_thread",
    "run_batch",
    "run_ray_batch",
    "summarize_many",
]
