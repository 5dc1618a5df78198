"""Time each stage of `interform plan` on a project (the planner's share of a plan).

    python bench/synth.py /tmp/b10k --count 10000 --lockfile
    python bench/plan_stages.py /tmp/b10k

Prints seconds per stage (project file, lockfile, the digests of its requests,
definitions rendered or recalled from sealed entries as they load, writing the render
cache, planner, checks of request bodies and safety, text rendering) and the process's
peak memory after it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def timed(label: str, stage: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = stage()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    print(f"{label:<22} {time.perf_counter() - started:7.3f} s   peak {peak:5.0f} MB")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    root = parser.parse_args(argv).dir

    from interform.config import load_definitions, load_project
    from interform.gc_tuning import fewer_gc_pauses
    from interform.output.text import render_text
    from interform.plan.planner import make_plan
    from interform.plan.safety import protect_problems
    from interform.providers.registry import kind_spec
    from interform.workspace import (
        Renderer,
        Workspace,
        distrust_edited,
        read_state,
        request_problems,
    )

    fewer_gc_pauses()  # as `interform plan` does
    project = timed("project file", lambda: load_project(root))
    # as open_workspace does: the lockfile first (its sealed entries spare rendering),
    # then each definition is rendered (or recalled) as soon as it is loaded
    lock, _ = timed("lockfile", lambda: read_state(root / project.lockfile))
    timed("lockfile digests", lambda: distrust_edited(lock))
    renderer = Renderer(project, root, lock)
    definitions = timed(
        "definitions + render", lambda: load_definitions(root, project, on_loaded=renderer.add)
    )
    desired = timed("render cache, order", lambda: renderer.finish(definitions))
    plan = timed("planner", lambda: make_plan(desired, lock, specs=kind_spec, moves=project.moves))
    ws = Workspace(root, project, definitions, desired, root / project.lockfile, lock, False)
    timed("checks", lambda: request_problems(plan.changes, ws) + protect_problems(plan))
    timed("render text", lambda: render_text(plan))
    print(f"{len(plan.changes)} changes, {plan.unchanged} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
