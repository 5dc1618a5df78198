"""Measure interform against its performance targets and write bench/RESULTS.md.

    python bench/run.py            # everything, about 6 minutes on 2 cores
    python bench/run.py --quick    # served apply at parallelism 1 with 100 creates

Every figure is the median of several fresh processes of the `interform` script. The
synthetic projects (bench/synth.py) are generated under bench/.work/ (git-ignored) and
reused while bench/synth*.py are unchanged. See bench/README.md for what is measured.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from measure import (
    Series,
    child_env,
    interform_executable,
    measure,
    process_cpu_seconds,
    run_once,
)
from report import Row, RunInfo, not_available, with_target, write_results
from served import Server, sandbox_server
from synth import generate

BENCH = Path(__file__).resolve().parent
LATENCY_SECONDS = 0.050
PARALLELISM = (1, 8, 32)
QUICK_SERIAL_CREATES = 100

# targets on a 2-core machine (issue 7)
STARTUP_S = 0.150
DEFINITIONS_S = {1_000: 0.7, 10_000: 4.0}
PEAK_MB = {10_000: 300.0}
INPROCESS_APPLY_S = {1_000: 3.0}
SERVED_RATIO = {(1_000, 8): 1.25, (1_000, 32): 1.25}  # (creates, parallelism)
FLOOR_RATIO = {1_000: 1.25}  # cold no-change plan ÷ YAML parse floor (issue 13)


@dataclass(frozen=True)
class Options:
    runs: int
    sizes: tuple[int, ...]
    creates: int
    quick: bool
    work: Path
    steps: frozenset[str]
    exe: str
    as_is: bool = False  # interform's bytecode not compiled first


# ---------------------------------------------------------------- projects


def synth_stamp(count: int, lockfile: bool) -> str:
    sources = b"".join((BENCH / name).read_bytes() for name in ("synth.py", "synth_lock.py"))
    return f"{count} {lockfile} {hashlib.sha256(sources).hexdigest()[:16]}"


def project(opts: Options, name: str, count: int, lockfile: bool) -> Path:
    """A synthetic project under the work directory, regenerated only when stale."""
    root = opts.work / name
    stamp = root / ".bench-stamp"
    wanted = synth_stamp(count, lockfile)
    if stamp.is_file() and stamp.read_text() == wanted:
        return root
    shutil.rmtree(root, ignore_errors=True)
    print(f"  generating {count} definitions in {root}", file=sys.stderr)
    argv = [sys.executable, str(BENCH / "synth.py"), str(root), "--count", str(count)]
    sample = run_once([*argv, "--lockfile"] if lockfile else argv, BENCH, child_env())
    if sample.returncode != 0:
        raise SystemExit(f"bench/synth.py failed: {sample.stderr.strip()}")
    stamp.write_text(wanted)
    return root


def clear(*paths: Path) -> Callable[[int], None]:
    def before(_: int) -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(True)

    return before


def command_exists(opts: Options, *words: str, option: str | None = None) -> bool:
    argv = [opts.exe, *words, "--help"]
    shown = subprocess.run(argv, capture_output=True, text=True, env=child_env(), check=False)
    return shown.returncode == 0 and (option is None or option in shown.stdout)


# ---------------------------------------------------------------- steps


def step_startup(opts: Options) -> list[Row]:
    rows = []
    for flag in ("--version", "--help"):
        series = measure([opts.exe, flag], BENCH, max(opts.runs, 10))
        rows.append(with_target(f"`interform {flag}`", series, STARTUP_S))
    return rows


def code_stamp() -> str:
    """A digest of interform's source: what the lockfile's seals depend on."""
    digest = hashlib.sha256()
    for path in sorted((BENCH.parent / "src" / "interform").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def no_change_project(opts: Options, count: int) -> Path:
    """The project of `count` definitions whose plan is empty, with the lockfile this
    interform's apply would leave: written again when interform's source changed (its
    seals would be stale, and a plan would render every definition, as it does once
    after an upgrade until the next apply) or when this interform plans it otherwise."""
    root = project(opts, f"defs-{count}", count, lockfile=True)
    stamp, wanted = root / ".bench-lock-stamp", code_stamp()
    if not stamp.is_file() or stamp.read_text() != wanted:
        print(f"  writing the lockfile of {root} for this interform", file=sys.stderr)
        (root / "interform.lock").unlink(missing_ok=True)
        run_once([sys.executable, str(BENCH / "synth_lock.py"), str(root)], BENCH, child_env())
        stamp.write_text(wanted)
    for attempt in range(2):
        check = run_once([opts.exe, "plan", "--detailed-exitcode"], root, child_env())
        if check.returncode == 0:
            return root
        if attempt == 0:
            run_once([sys.executable, str(BENCH / "synth_lock.py"), str(root)], BENCH, child_env())
    raise SystemExit(f"{root}: plan exits {check.returncode}, not a no-change plan")


def step_definitions(opts: Options, count: int) -> list[Row]:
    root = no_change_project(opts, count)
    rows, peaks = [], []
    for command in ("validate", "plan"):
        peak = 0.0
        for cache in ("cold", "warm"):
            label = f"`interform {command}`, {count:,} definitions, {cache} cache"
            cold = clear(root / ".interform" / "cache") if cache == "cold" else None
            series = measure([opts.exe, command], root, opts.runs, before=cold)
            rows.append(with_target(label, series, DEFINITIONS_S.get(count)))
            peak = max([peak, *(s.max_rss_mb for s in series.samples)])
        label = f"peak memory of `interform {command}`, {count:,} definitions"
        peaks.append(Row.memory(label, peak, PEAK_MB.get(count)))
    return rows + peaks


def step_floor(opts: Options, count: int) -> list[Row]:
    """The cold no-change plan against the YAML parse floor (`bench/floor.py`) over the
    same project, their runs interleaved so that both see the same load."""
    root = no_change_project(opts, count)
    cold = clear(root / ".interform" / "cache")
    floors = {
        "ruamel's C safe loader": [sys.executable, str(BENCH / "floor.py"), "."],
        "libyaml events": [sys.executable, str(BENCH / "floor.py"), ".", "--events"],
    }
    series = {name: Series() for name in [*floors, "plan"]}
    for _ in range(opts.runs):
        for name, argv in [*floors.items(), ("plan", [opts.exe, "plan"])]:
            one = measure(argv, root, 1, before=cold)
            series[name].samples += one.samples
            series[name].error = series[name].error or one.error
    rows = []
    for name in floors:
        label = f"YAML parse floor ({name}, `bench/floor.py`), {count:,} definitions"
        rows.append(with_target(label, series[name], None))
    for name in floors:
        label = f"`interform plan`, {count:,} definitions, cold cache ÷ floor ({name})"
        rows.append(Row.ratio(label, series["plan"], series[name], FLOOR_RATIO.get(count)))
    return rows


def step_apply_inprocess(opts: Options) -> list[Row]:
    label = f"`interform apply --sandbox`, {opts.creates:,} creates, in-process"
    if not command_exists(opts, "apply", option="--auto-approve"):
        return [not_available(label, "`interform apply` does not exist yet")]
    root = project(opts, f"create-{opts.creates}", opts.creates, lockfile=False)
    run_once([opts.exe, "validate"], root, child_env())  # warm the definition cache
    argv = [opts.exe, "apply", "--sandbox", "--auto-approve"]
    series = measure(argv, root, opts.runs, before=clear(root / ".interform" / "sandbox"))
    row = with_target(label, series, INPROCESS_APPLY_S.get(opts.creates))
    after = run_once([opts.exe, "plan", "--sandbox", "--detailed-exitcode"], root, child_env())
    if not series.error and after.returncode != 0:
        row.note += f" after apply, plan still shows changes (exit {after.returncode})"
    return [row]


def step_apply_served(opts: Options) -> list[Row]:
    label = "`interform apply` against `sandbox serve`, 50 ms latency"
    if not command_exists(opts, "apply", option="--parallelism"):
        return [not_available(label, "`interform apply --parallelism` does not exist yet")]
    state = opts.work / "served-state"
    shutil.rmtree(state, ignore_errors=True)
    with sandbox_server(state, f"latency={int(LATENCY_SECONDS * 1000)}ms") as server:
        return [served_row(opts, server, p) for p in PARALLELISM]


def served_row(opts: Options, server: Server, parallelism: int) -> Row:
    quick = opts.quick and parallelism == 1
    count = min(QUICK_SERIAL_CREATES, opts.creates) if quick else opts.creates
    root = opts.work / f"served-{count}"
    generate(root, count, base_url=f"{server.url}/micro1")
    # the fixed part of an apply: start-up, loading and planning the same creates
    fixed = measure([opts.exe, "plan"], root, opts.runs, before=clear(root / "interform.lock"))

    # the lockfile, its journal and apply lock: each run starts from nothing applied
    fresh = clear(*(root / f"interform.lock{end}" for end in ("", ".journal", ".lock")))
    series, server_cpu = Series(), 0.0
    argv = [opts.exe, "apply", "--auto-approve", "--parallelism", str(parallelism)]
    for i in range(opts.runs):  # a fresh emulated account per run: nothing left over
        env = child_env(MICRO1_API_KEY=f"sandbox-p{parallelism}-run{i}")
        cpu_before = process_cpu_seconds(server.pid)
        one = measure(argv, root, 1, env=env, before=fresh)
        server_cpu += process_cpu_seconds(server.pid) - cpu_before
        series.samples += one.samples
        if one.error:
            series.error = one.error
            break
    ideal = count * LATENCY_SECONDS / parallelism
    label = f"served apply, {count:,} creates, `--parallelism {parallelism}`"
    limit = SERVED_RATIO.get((count, parallelism))
    row = Row.served_apply(label, series, fixed, ideal, limit)
    if series.samples:
        row.served["cpu"] = f"{series.median_cpu:.1f} s + {server_cpu / len(series.samples):.1f} s"
    return row


# ---------------------------------------------------------------- main


STEPS: dict[str, Callable[[Options], list[Row]]] = {
    "startup": step_startup,
    "definitions": lambda o: [r for n in o.sizes for r in step_definitions(o, n)],
    "floor": lambda o: [r for n in o.sizes for r in step_floor(o, n)],
    "apply": step_apply_inprocess,
    "served": step_apply_served,
}


def parse(argv: list[str] | None) -> tuple[Options, Path]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true", help="serial served apply: 100 creates")
    parser.add_argument("--sizes", default="1000,10000", help="definition counts (validate/plan)")
    parser.add_argument("--creates", type=int, default=1000, help="creates per apply")
    parser.add_argument("--only", default=",".join(STEPS), help=f"subset of {','.join(STEPS)}")
    parser.add_argument("--work", type=Path, default=BENCH / ".work")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="do not compile interform to bytecode first (see bench/README.md)",
    )
    args = parser.parse_args(argv)
    steps = frozenset(args.only.split(","))
    if args.runs < 1 or not steps <= STEPS.keys():
        parser.error(f"--runs must be 1 or more and --only a subset of {','.join(STEPS)}")
    sizes = tuple(int(n) for n in args.sizes.split(","))
    opts = Options(args.runs, sizes, args.creates, args.quick, args.work, steps, "", args.as_is)
    return opts, args.out


def compile_interform() -> str:
    """Compile interform's modules to bytecode, as `pip install` of a wheel does (the CI
    recipes install one) and as Python does on the first run unless PYTHONDONTWRITEBYTECODE
    is set: with it set and an editable install, every run would compile them again
    (about 50 ms of a 1,000-definition plan), which no installed copy pays."""
    spec = importlib.util.find_spec("interform")
    if spec is None or not spec.submodule_search_locations:
        return "interform not importable here: bytecode left as it is"
    package = next(iter(spec.submodule_search_locations))
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)
    return "interform's modules compiled to bytecode first (as an installed wheel has them)"


def main(argv: list[str] | None = None) -> int:
    opts, out = parse(argv)
    opts = Options(**{**opts.__dict__, "exe": interform_executable()})
    opts.work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    started, load = time.perf_counter(), os.getloadavg()
    bytecode = "bytecode left as it is (`--as-is`)" if opts.as_is else compile_interform()
    for name, step in STEPS.items():
        if name in opts.steps:
            print(f"{name}...", file=sys.stderr)
            rows += step(opts)
    command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    took = time.perf_counter() - started
    write_results(out, rows, RunInfo(command.strip(), took, opts.quick, load, bytecode))
    print(out.read_text())
    return 1 if any(row.verdict == "missed" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
