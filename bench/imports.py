"""Where the import CPU of a cold no-change `interform plan` goes, against the floor's.

    python bench/imports.py PROJECT [--runs N] [--top N]

Runs `interform plan` and `floor.py --events` over PROJECT (a `bench/synth.py
--lockfile` project, definition cache emptied before each run) in fresh processes,
interleaved, with interform's modules compiled to bytecode first. In each process a hook
on the import machinery times every module's first import in CPU time, exclusive of the
modules it imports in turn; `python -X importtime` cannot be used for this, since it
misses modules loaded through `importlib.import_module` (the platforms, the commands)
and charges them to their importer. Prints, as medians over the runs: each command's
total import CPU, the modules only the plan imports with their share, and the `--top`
costliest of them, and how much of each command's CPU went into building interform's
dataclasses (the code `dataclasses` generates and compiles for each class).

Standard library only (the harness is `bench/measure.py`'s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import child_env
from run import clear, compile_interform

BENCH = Path(__file__).resolve().parent

# argv: REPORT plan|floor; writes {module: exclusive CPU seconds} to REPORT, with the
# CPU that building interform's dataclasses took under DATACLASSES (part of the modules');
# nothing the two commands import is imported before the hook, except runpy (the floor's
# launcher, not part of either)
DATACLASSES = "(interform dataclasses)"
PROBE = """
import importlib._bootstrap as bootstrap, runpy, sys, time
report, which = sys.argv[1], sys.argv[2]
spent, stack, load = {}, [], bootstrap._find_and_load
def on_dataclasses(module):
    build = module._process_class
    def built(cls, *args, **kwargs):
        started = time.process_time()
        try:
            return build(cls, *args, **kwargs)
        finally:
            if cls.__module__.startswith("interform."):
                took = time.process_time() - started
                spent[DATACLASSES] = spent.get(DATACLASSES, 0.0) + took
    module._process_class = built
def timed(name, import_):
    if name in sys.modules:
        return load(name, import_)
    started = time.process_time()
    stack.append(0.0)
    try:
        module = load(name, import_)
    finally:
        took, children = time.process_time() - started, stack.pop()
        spent[name] = took - children
        if stack:
            stack[-1] += took
    if name == "dataclasses":
        on_dataclasses(module)
    return module
bootstrap._find_and_load = timed
try:
    if which == "plan":
        from interform.cli import main
        main(["plan"])
    else:
        sys.argv = ["floor.py", ".", "--events"]
        runpy.run_path(FLOOR, run_name="__main__")
except SystemExit as stop:
    if stop.code not in (0, None):
        raise
import json
with open(report, "w") as f:
    json.dump(spent, f)
"""


def probe(which: str, root: Path, report: Path) -> dict[str, float]:
    """One fresh process of `which`: its exclusive import CPU per module."""
    code = PROBE.replace("FLOOR", repr(str(BENCH / "floor.py")))
    code = code.replace("DATACLASSES", repr(DATACLASSES))
    done = subprocess.run(
        [sys.executable, "-c", code, str(report), which],
        cwd=root,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{which}: exit {done.returncode}: {done.stderr[-500:]}")
    spent: dict[str, float] = json.loads(report.read_text())
    return spent


def medians(runs: list[dict[str, float]]) -> dict[str, float]:
    """Per module, the median over the runs (0 in a run that did not import it)."""
    modules = set().union(*runs)
    return {m: statistics.median(run.get(m, 0.0) for run in runs) for m in modules}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=15)
    opts = parser.parse_args(argv)
    root = opts.project.resolve()
    before = clear(root / ".interform" / "cache")
    compile_interform()
    runs: dict[str, list[dict[str, float]]] = {"plan": [], "floor": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(opts.runs):
            for which, done in runs.items():
                before(i)
                done.append(probe(which, root, Path(tmp) / f"{which}.json"))
    plan, floor = medians(runs["plan"]), medians(runs["floor"])
    built = {
        which: spent.pop(DATACLASSES, 0.0) for which, spent in (("plan", plan), ("floor", floor))
    }
    only = {m: t for m, t in plan.items() if m not in floor}
    for which, spent in (("plan", plan), ("floor", floor)):
        print(
            f"{which:>5}: {sum(spent.values()) * 1000:.1f} ms import CPU, {len(spent)} modules;"
            f" building interform's dataclasses: {built[which] * 1000:.1f} ms"
        )
    print(f"plan only: {sum(only.values()) * 1000:.1f} ms, {len(only)} modules; costliest:")
    for module, took in sorted(only.items(), key=lambda item: -item[1])[: opts.top]:
        print(f"  {took * 1000:6.2f} ms  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
