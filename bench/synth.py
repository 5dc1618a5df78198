"""Generate a synthetic interform project for benchmarks.

    python bench/synth.py DIR --count N [--lockfile] [--base-url URL]

writes DIR/interform.yaml (one micro1 target, served at URL when given, e.g. by
`interform sandbox serve`) and N definitions of about 1.3 KB each
(10 questions, 5 skills) spread over subdirectories of DIR/interviews, 100 per
directory. The content is deterministic, so two runs with the same N are identical.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PER_DIRECTORY = 100

PROJECT = """\
# yaml-language-server: $schema=schemas/project.schema.json
project: synthetic-bench
targets:
  micro1:
    provider: micro1
defaults:
  language: en
"""

TOPICS = (
    "a production incident you handled end to end",
    "a design decision you would make differently today",
    "how you review a pull request from a new colleague",
    "a time you reduced the latency of a slow endpoint",
    "how you test code that talks to a third-party API",
    "a disagreement with a product manager and how it ended",
    "how you would migrate a large table without downtime",
    "the last thing you automated and why it was worth it",
    "how you decide what to log and what to measure",
    "a bug that took you more than a day to find",
)

SKILLS = ("Python", "PostgreSQL", "System design", "Testing", "Communication")


def definition(n: int) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/interview.schema.json",
        f"title: Backend engineer screen {n:05d}",
        f"description: Synthetic screening interview number {n} for backend engineers.",
        "targets: [micro1]",
        "questions:",
    ]
    for i, topic in enumerate(TOPICS, 1):
        lines += [
            f"  - id: q{i}",
            f"    text: Tell us about {topic}.",
            f"    answer_time: {60 + 15 * (i % 5)}",
        ]
    lines.append("skills:")
    lines += [f"  - name: {skill}" for skill in SKILLS]
    lines += [
        "micro1:",
        "  is_coding_round_required: true",
        "  selected_coding_language: python",
    ]
    return "\n".join(lines) + "\n"


def project_file(base_url: str | None = None) -> str:
    if base_url is None:
        return PROJECT
    return PROJECT.replace(
        "    provider: micro1\n", f"    provider: micro1\n    base_url: {base_url}\n"
    )


def generate(root: Path, count: int, base_url: str | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "interform.yaml").write_text(project_file(base_url), encoding="utf-8")
    for n in range(count):
        directory = root / "interviews" / f"team-{n // PER_DIRECTORY:03d}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"screen-{n:05d}.yaml").write_text(definition(n), encoding="utf-8")


def write_lockfile(root: Path, count: int) -> None:
    # a lockfile matching the definitions (no-change plan): bench/synth_lock.py
    from synth_lock import write_matching_lockfile

    write_matching_lockfile(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--lockfile", action="store_true", help="also write interform.lock")
    parser.add_argument("--base-url", help="the micro1 target's base_url")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be 0 or more")
    generate(args.dir, args.count, args.base_url)
    if args.lockfile:
        write_lockfile(args.dir, args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
