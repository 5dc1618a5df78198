"""Every `interform` command shown in README.md and the docs names a real command with
real options, so the documentation cannot drift from the CLI."""

from __future__ import annotations

import pytest

from .commands import check_invocation, interform_invocations, shell_lines
from .support import ROOT

DOCUMENTS = sorted(
    [ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").rglob("*.md")]
)


def documented() -> list[tuple[str, str]]:
    found = []
    for path in DOCUMENTS:
        for line in shell_lines(path.read_text(encoding="utf-8")):
            for words in interform_invocations(line):
                found.append((str(path.relative_to(ROOT)), " ".join(words)))
    return found


def test_the_docs_show_commands_at_all() -> None:
    files = {path for path, _ in documented()}
    assert {"README.md", "docs/getting-started.md", "docs/ci.md", "docs/recovery.md"} <= files


@pytest.mark.parametrize(("path", "command"), documented())
def test_documented_command_is_real(path: str, command: str) -> None:
    words = next(interform_invocations(command))
    assert check_invocation(words) is None, f"{path}: {command}"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("interform aply", "No such command 'aply'"),
        ("interform plan --nope", "No such option '--nope'"),
        ("interform plan --target", "requires an argument"),
        ("interform state frobnicate x", "No such command 'frobnicate'"),
        ("interform force-unlock", "Missing argument"),
    ],
)
def test_checker_refuses_what_the_cli_refuses(line: str, problem: str) -> None:
    reason = check_invocation(next(interform_invocations(line)))
    assert reason is not None and problem in reason


@pytest.mark.parametrize(
    "line",
    [
        "interform -C projects/hiring plan --json > plan.json",
        "pip install -e . && interform validate 2>/dev/null",
        "interform state mv old/address new/address",
        "interform --version",
        "interform sandbox serve --port 0 --faults latency=50ms",
    ],
)
def test_checker_accepts_what_the_cli_accepts(line: str) -> None:
    assert [check_invocation(words) for words in interform_invocations(line)] == [None]


def test_shell_lines_take_console_prompts_and_skip_output_and_comments() -> None:
    markdown = "```console\n$ interform plan\nPlan: 1 to create\n```\n```sh\n# x\nls\n```\n"
    assert list(shell_lines(markdown)) == ["interform plan", "ls"]


def test_the_docs_index_links_every_page() -> None:
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    pages = [p for p in (ROOT / "docs").rglob("*.md") if p.name != "README.md"]
    missing = [
        str(p.relative_to(ROOT)) for p in pages if f"]({p.relative_to(ROOT / 'docs')})" not in index
    ]
    assert not missing, f"docs/README.md does not link {missing}"
