"""Interleaved A/B runs of a cold no-change `interform plan`, measured in CPU time.

    python bench/ab.py PROJECT A=REF B=REF [...] [--runs N] [--floor]

Each variant is a git revision (a commit, a branch, `WORKTREE` for the checkout's
uncommitted files) of this repository; its `src/` is exported to a temporary folder,
compiled to bytecode (as an installed wheel has it; `bench/run.py` does the same, and
compiles the installed interform that the floor imports) and run as
`python -m interform plan` with `PYTHONPATH` pointing at it, so every variant uses the
same interpreter and installed libraries. The runs are interleaved (A, B, A, B, …)
with the definition cache emptied before each, and the figure is the median CPU time
(user + system, from `wait4`) with min–max: on a shared machine the wall time of the same
run varies by up to half while its CPU time stays within a few percent. `--floor` adds
`floor.py --events` over the same project as one more variant.

Standard library only (the harness is `bench/measure.py`'s).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import Series, child_env, run_once
from run import clear, compile_interform

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def export(ref: str, into: Path) -> Path:
    """`src/` of `ref` (or of the work tree for `WORKTREE`) copied under `into`."""
    into.mkdir(parents=True)
    if ref == "WORKTREE":
        shutil.copytree(
            REPO / "src",
            into / "src",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    else:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", ref, "src"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "src")], check=True)
    return into / "src"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("variants", nargs="+", metavar="NAME=REF")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--floor", action="store_true")
    opts = parser.parse_args(argv)
    root = opts.project.resolve()
    before = clear(root / ".interform" / "cache")
    with tempfile.TemporaryDirectory() as tmp:
        commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        for variant in opts.variants:
            name, _, ref = variant.partition("=")
            src = export(ref or name, Path(tmp) / name)
            plan = [sys.executable, "-m", "interform", "plan"]
            commands[name] = (plan, child_env(PYTHONPATH=str(src)))
        if opts.floor:
            compile_interform()
            commands["floor"] = (
                [sys.executable, str(BENCH / "floor.py"), ".", "--events"],
                child_env(),
            )
        series = {name: Series() for name in commands}
        for i in range(opts.runs):
            for name, (command, env) in commands.items():
                before(i)
                sample = run_once(command, root, env)
                if sample.returncode != 0:
                    raise SystemExit(f"{name}: exit {sample.returncode}: {sample.stderr[-500:]}")
                series[name].samples.append(sample)
    for name, one in series.items():
        cpu = sorted(s.cpu_seconds for s in one.samples)
        print(
            f"{name:>10}: {one.median_cpu:.3f} s CPU ({cpu[0]:.3f}–{cpu[-1]:.3f}),"
            f" peak {one.peak_mb:.0f} MB, {len(cpu)} runs"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
