"""The command-line shell every command runs in: global options, NO_COLOR, exit codes,
the error model (exit 1 for user errors, exit 3 with a --debug pointer otherwise), and
`python -m interform`. The stand-in commands are in cli_probe.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from interform import __version__
from interform.cli import COMMANDS

from .cli_probe import SECRET, shell

PROBE = str(Path(__file__).with_name("cli_probe.py"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(shell, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_user_error_prints_every_problem_one_line_each_and_exits_1() -> None:
    assert invoke("mistake") == (
        1,
        "",
        "a.yaml:1:3: first problem — fix that\nb.yaml:2:1: second problem — fix it\n",
    )


def test_an_unexpected_error_exits_3_with_a_pointer_to_debug_and_no_credential() -> None:
    assert invoke("boom") == (
        3,
        "",
        "interform: unexpected error: RuntimeError: the platform closed the connection "
        "(key ****)\nrun again with --debug for the full traceback\n",
    )


def test_debug_shows_the_traceback_scrubbed() -> None:
    code, out, err = invoke("--debug", "boom")
    assert (code, out) == (3, "")
    assert err.startswith("Traceback (most recent call last):\n")
    assert 'raise RuntimeError(f"the platform closed the connection (key {SECRET})")' in err
    assert err.endswith(
        "interform: unexpected error: RuntimeError: the platform closed the connection (key ****)\n"
    )
    assert SECRET not in err and "--debug" not in err


def test_chdir_to_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    first, last = tmp_path / "nowhere", tmp_path / "x"
    for args, missing in ((("-C", str(first), "probe"), first), (("probe", "-C", str(last)), last)):
        code, out, err = invoke(*args)
        assert (code, out) == (1, "")
        assert f"cannot change to {missing}: No such file" in err


def _interform(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `interform` script, as a user runs it."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("interform")), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "INTERFORM_SANDBOX"},
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plan", "--detailed-exitcode", "--markdwon"], "No such option '--markdwon'"),
        (["plan", "--json", "--markdown"], "choose one of --json and --markdown"),
        (["import", "eng/backend@micro1"], "Missing argument 'REMOTE_ID'"),
        (["--colour", "plan"], "No such option '--colour'"),
        (["state", "lst"], "No such command 'lst'"),
        (["apply", "--parallelism", "0"], "Invalid value for '--parallelism'"),
    ],
)
def test_usage_errors_exit_1_never_2_which_means_changes(
    args: list[str], message: str, tmp_path: Path
) -> None:
    done = _interform(*args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert message in done.stderr and done.stderr.startswith("Usage: interform")
    assert done.stdout == "" and "Traceback" not in done.stderr


def test_global_options_work_after_the_subcommand_too(tmp_path: Path) -> None:
    assert invoke("probe", "--no-color", "--debug")[:2] == (0, "color=False debug=True\n")
    assert _in_terminal("probe", "--no-color") == "color=False debug=False\n"
    project = tmp_path / "project"
    project.mkdir()
    elsewhere = _interform("validate", "-C", str(project), cwd=tmp_path)
    assert elsewhere.returncode == 1  # it looked in `project`, which has no interform.yaml
    assert elsewhere.stderr.startswith(f"no interform.yaml in {project.resolve()}")
    assert "-C, --chdir" not in _interform("plan", "--help").stdout  # the group's own help
    assert "-C, --chdir" in _interform("--help").stdout


def _in_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """Output of `python cli_probe.py ARGS` run with a pseudo-terminal as stdout."""
    import pty

    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | (env or {})
    try:
        subprocess.run(
            [sys.executable, PROBE, *args],
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=environment,
            timeout=30,
            check=True,
        )
    finally:
        os.close(follower)
    chunks = []
    try:
        while chunk := os.read(leader, 4096):
            chunks.append(chunk)
    except OSError:  # EIO: the terminal's other end is closed
        pass
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    assert _in_terminal("probe") == "color=True debug=False\n"
    assert _in_terminal("probe", env={"NO_COLOR": "1"}) == "color=False debug=False\n"
    assert _in_terminal("--no-color", "probe") == "color=False debug=False\n"
    assert invoke("probe") == (0, "color=False debug=False\n", "")  # not a terminal


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "interform"]
    version = subprocess.run([*run, "--version"], capture_output=True, text=True, timeout=30)
    assert (version.returncode, version.stdout) == (0, f"interform, version {__version__}\n")
    lost = subprocess.run([*run, "validate"], capture_output=True, text=True, cwd=tmp_path)
    assert lost.returncode == 1
    assert lost.stderr.startswith(f"no interform.yaml in {tmp_path.resolve()}")
    assert "Traceback" not in lost.stderr


def test_help_lists_every_command_of_the_table() -> None:
    from interform.cli import main

    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines()}
    assert {"init", "validate", "fmt", "schema", "sandbox"} <= listed <= set(COMMANDS)
