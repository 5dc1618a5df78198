"""Figures against targets, and bench/RESULTS.md: the date, the machine, the command."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from measure import Series


@dataclass
class Row:
    label: str
    value: str
    target: str = "—"
    verdict: str = "no target"  # met, missed, no target, not available, failed
    note: str = ""
    # served applies: parallelism, creates, ideal, wall, fixed part, create phase, ratio
    served: dict[str, str] = field(default_factory=dict)

    @classmethod
    def memory(cls, label: str, peak_mb: float, limit_mb: float | None) -> Row:
        if limit_mb is None:
            return cls(label, f"{peak_mb:.0f} MB")
        met = "met" if peak_mb < limit_mb else "missed"
        return cls(label, f"{peak_mb:.0f} MB", f"< {limit_mb:.0f} MB", met)

    @classmethod
    def served_apply(
        cls, label: str, wall: Series, fixed: Series, ideal: float, ratio_limit: float | None
    ) -> Row:
        if wall.error or fixed.error or not wall.samples:
            return failed(label, wall.error or fixed.error or "no run")
        phase = max(wall.median - fixed.median, 0.0)
        ratio = phase / ideal
        row = cls(label, seconds(wall))
        if ratio_limit is not None:
            row.target = f"create phase ≤ {ratio_limit} × ideal"
            row.verdict = "met" if ratio <= ratio_limit else "missed"
        row.served = {
            "ideal": f"{ideal:.2f} s",
            "wall": f"{wall.median:.2f} s",
            "fixed": f"{fixed.median:.2f} s",
            "phase": f"{phase:.2f} s",
            "ratio": f"{ratio:.2f}×",
            "wall ratio": f"{wall.median / ideal:.2f}×",
        }
        return row

    @classmethod
    def ratio(cls, label: str, series: Series, base: Series, limit: float | None) -> Row:
        """`series` as a multiple of `base` (medians of runs taken side by side)."""
        if series.error or base.error:
            return failed(label, series.error or base.error or "no run")
        ratio = series.median / base.median
        value = f"{ratio:.2f}× ({seconds(series)} ÷ {base.median:.3f} s)"
        if limit is None:
            return cls(label, value)
        return cls(label, value, f"≤ {limit}×", "met" if ratio <= limit else "missed")


def seconds(series: Series) -> str:
    low, high = series.spread
    runs = len(series.samples)
    return f"{series.median:.3f} s ({low:.3f}–{high:.3f}, {runs} run{'s' * (runs > 1)})"


def failed(label: str, error: str) -> Row:
    return Row(label, "—", verdict="failed", note=error)


def not_available(label: str, why: str) -> Row:
    return Row(label, "—", verdict="not available", note=why)


def with_target(label: str, series: Series, limit_s: float | None) -> Row:
    if series.error:
        return failed(label, series.error)
    if limit_s is None:
        return Row(label, seconds(series))
    verdict = "met" if series.median < limit_s else "missed"
    return Row(label, seconds(series), f"< {limit_s:g} s", verdict)


# ---------------------------------------------------------------- the file


def machine(load_before: tuple[float, ...]) -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return [
        f"- CPU: {model}; `nproc`: {usable} (of {os.cpu_count()})",
        f"- Python {platform.python_version()} on {platform.platform(terse=True)}",
        f"- interform {_version()} at commit {_commit()}",
        f"- Load average (1, 5, 15 min) before: {_load(load_before)}; after: "
        f"{_load(os.getloadavg())}. Other work on the machine slows every figure.",
    ]


def _load(values: tuple[float, ...]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _version() -> str:
    from importlib.metadata import version

    return version("interform")


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"`{out.stdout.strip()}`"


def table(rows: list[Row]) -> list[str]:
    lines = ["| measurement | median (min–max) | target | result | note |", "|---|---|---|---|---|"]
    lines += [f"| {r.label} | {r.value} | {r.target} | {r.verdict} | {r.note} |" for r in rows]
    return lines


def served_table(rows: list[Row]) -> list[str]:
    head = (
        "| run | ideal N × 50 ms / p | wall | fixed part | create phase | ÷ ideal "
        "| CPU: apply + server | result |"
    )
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = r.served
        lines.append(
            f"| {r.label} | {s['ideal']} | {s['wall']} ({s['wall ratio']}) | {s['fixed']} "
            f"| {s['phase']} | {s['ratio']} | {s.get('cpu', '—')} | {r.verdict} |"
        )
    return lines


@dataclass(frozen=True)
class RunInfo:
    command: str
    seconds: float
    quick: bool
    load_before: tuple[float, ...]
    bytecode: str = ""  # how interform's own modules were loaded


def write_results(path: Path, rows: list[Row], run: RunInfo) -> None:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Benchmark results", "", f"- Date: {when}", *machine(run.load_before)]
    lines += [f"- Command: `{run.command}` (took {run.seconds:.0f} s)"]
    lines += [f"- Bytecode: {run.bytecode}"] if run.bytecode else []
    lines += ["", *table(rows), ""]
    served = [r for r in rows if r.served]
    if served:
        lines += ["## Served apply against the ideal", "", *served_table(served), ""]
        lines.append(
            "Ideal: creates × latency ÷ parallelism. Fixed part: the median of `interform "
            "plan` over the same creates (start-up, loading, rendering, planning), which "
            "every apply pays before its first request. Create phase: wall − fixed part; "
            "the target applies to it. CPU: seconds of CPU the apply process and the "
            "sandbox server used per run; both share this machine's cores, so their sum "
            "divided by the number of cores is a floor under the wall time."
        )
        if run.quick:
            lines.append(
                "`--quick`: the parallelism-1 run used fewer creates than the others "
                "(its ideal is scaled to match)."
            )
        lines.append("")
    missed = [r.label for r in rows if r.verdict in ("missed", "failed")]
    verdict = "All targets met." if not missed else f"Missed or failed: {'; '.join(missed)}."
    lines += [verdict, "", "How to read and reproduce these figures: bench/README.md.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
