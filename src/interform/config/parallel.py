"""Parsing many files on every core.

YAML parsing is most of a cold run (about 0.25 ms per 1.3 KB file) and is pure CPU,
so large batches are spread over forked worker processes; results stream back in
order so the caller validates while the workers parse. Small batches, machines with
one core, platforms without fork, and processes that already run threads (forking
those can deadlock a child on a lock some thread held) parse in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Final

from interform.config.yamlparse import SyntaxProblem, parse

PARALLEL_MIN: Final = 400  # below this, starting workers costs more than it saves
MAX_WORKERS: Final = 8
CHUNK: Final = 64


def parse_many(texts: Sequence[str]) -> Iterator[Any]:
    """Each text's data or its SyntaxProblem, in order."""
    workers = _workers(len(texts))
    if workers < 2:
        yield from (_parse_one(text) for text in texts)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for wire in pool.imap(_parse_wire, texts, chunksize=CHUNK):
            yield _from_wire(wire)


def _workers(count: int) -> int:
    if count < PARALLEL_MIN or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS)


def _parse_one(text: str) -> Any:
    try:
        return parse(text)
    except SyntaxProblem as problem:
        return problem


def _parse_wire(text: str) -> tuple[Any, ...]:
    # an exception dataclass does not survive pickling; plain tuples do
    try:
        return ("data", parse(text))
    except SyntaxProblem as p:
        return ("problem", p.line, p.col, p.message, p.fix)


def _from_wire(wire: tuple[Any, ...]) -> Any:
    if wire[0] == "data":
        return wire[1]
    return SyntaxProblem(*wire[1:])
