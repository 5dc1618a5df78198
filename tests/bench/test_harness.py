"""The benchmark harness at a tiny size: it runs end to end from its documented command,
and its peak-memory figure is the measured child's own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def run_bench(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "RESULTS.md"
    argv = [sys.executable, str(BENCH / "run.py"), "--runs", "1", "--work", str(tmp_path)]
    done = subprocess.run(
        [*argv, "--out", str(out), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out.read_text()


@pytest.mark.slow  # about 12 s on an idle 2-core machine: it starts a server and ~20 processes
def test_bench_runs_end_to_end_at_a_tiny_size(tmp_path: Path) -> None:
    # start-up is left out: it has a target at every size, and a loaded machine misses it
    only = "definitions,apply,served"
    results = run_bench(tmp_path, "--sizes", "12", "--creates", "6", "--quick", "--only", only)
    assert re.search(r"^- Date: \d{4}-\d\d-\d\d", results, re.M)
    assert re.search(r"^- CPU: .+; `nproc`: \d+", results, re.M)
    assert "- Command: `python bench/run.py --runs 1" in results
    # timed as an installed copy runs: interform's own modules already compiled
    assert "- Bytecode: interform's modules compiled to bytecode first" in results
    for measured in (
        r"`interform validate`, 12 definitions, cold cache",
        r"`interform plan`, 12 definitions, warm cache",
        r"`interform apply --sandbox`, 6 creates, in-process",
        r"served apply, 6 creates, `--parallelism 8`",
    ):
        row = re.search(
            rf"^\| {re.escape(measured)} \| (\d+\.\d+) s .*\| (\w[\w ]*) \|", results, re.M
        )
        assert row, f"no figure for {measured}:\n{results}"
    assert "| failed |" not in results
    # the served table sets each figure next to its ideal: 6 × 50 ms / 8
    assert re.search(r"`--parallelism 8` \| 0\.04 s \|", results)


def test_peak_memory_is_the_childs_own(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        from measure import child_env, run_once
    finally:
        sys.path.remove(str(BENCH))
    grow = "b = bytearray(120 * 2**20); b[::4096] = b'x' * len(b[::4096])"
    big = run_once([sys.executable, "-c", grow], tmp_path, child_env())
    small = run_once([sys.executable, "-c", "pass"], tmp_path, child_env())
    assert big.returncode == small.returncode == 0
    assert big.max_rss_mb > 120 > small.max_rss_mb


@pytest.mark.parametrize("bad", [["--runs", "0"], ["--only", "everything"]])
def test_bench_refuses_bad_options(tmp_path: Path, bad: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--work", str(tmp_path), *bad],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "error:" in done.stderr


def test_ab_runs_each_revision_and_the_floor_interleaved(tmp_path: Path) -> None:
    """`bench/ab.py` at a tiny size: each revision's exported source and the floor run,
    and each gets a CPU-time figure over its runs."""
    project = tmp_path / "project"
    synth = [sys.executable, str(BENCH / "synth.py"), str(project), "--count", "5", "--lockfile"]
    subprocess.run(synth, check=True, capture_output=True, timeout=60)
    argv = [sys.executable, str(BENCH / "ab.py"), str(project), "head=HEAD", "now=WORKTREE"]
    done = subprocess.run(
        [*argv, "--runs", "2", "--floor"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("head", "now", "floor"):
        assert re.search(
            rf"^ *{name}: \d+\.\d{{3}} s CPU \(.+\), peak \d+ MB, 2 runs$", done.stdout, re.M
        ), done.stdout


def test_imports_splits_the_plans_import_cpu_from_the_floors(tmp_path: Path) -> None:
    """`bench/imports.py` at a tiny size: both commands' import CPU, the modules only the
    plan imports (the CLI's among them, which the floor never loads), and the dataclass
    share (the plan builds interform's dataclasses)."""
    project = tmp_path / "project"
    synth = [sys.executable, str(BENCH / "synth.py"), str(project), "--count", "3", "--lockfile"]
    subprocess.run(synth, check=True, capture_output=True, timeout=60)
    argv = [sys.executable, str(BENCH / "imports.py"), str(project), "--runs", "1"]
    done = subprocess.run([*argv, "--top", "200"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    totals = dict(
        re.findall(r"^ *(plan|floor): (\d+\.\d) ms import CPU, \d+ modules;", done.stdout, re.M)
    )
    assert set(totals) == {"plan", "floor"}, done.stdout
    built = re.search(
        r"^ *plan: .*building interform's dataclasses: (\d+\.\d) ms", done.stdout, re.M
    )
    assert built and float(built[1]) > 0, done.stdout
    only = re.findall(r"^ +\d+\.\d\d ms  (\S+)$", done.stdout, re.M)
    assert "interform.cli" in only and "click" in only
    assert "interform.model.definition" not in only  # the floor validates with it too
