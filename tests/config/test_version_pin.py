"""`required_version`: Terraform's constraint syntax and meaning, checked before anything
else in interform.yaml, by every command that reads the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from interform import __version__
from interform.config.version_pin import satisfies

CASES = [
    ("0.1.0", "0.1.0", True),
    ("0.1.0", "= 0.1.0", True),
    ("0.1.0", "=0.1", True),  # missing parts are zeros
    ("0.1.1", "0.1.0", False),
    ("0.1.0", "!= 0.1.0", False),
    ("0.2.0", ">= 0.1, < 0.3", True),
    ("0.3.0", ">= 0.1, < 0.3", False),
    ("0.1.9", "~> 0.1.0", True),
    ("0.2.0", "~> 0.1.0", False),
    ("0.9.0", "~> 0.1", True),
    ("1.0.0", "~> 0.1", False),
    ("1.9", "~> 1", True),
    ("2.0", "~> 1", False),
    ("0.1.0", "> 0.0.9", True),
    ("0.1.0", "<= 0.0.9", False),
    # a pre-release only satisfies an exact condition, as in Terraform
    ("0.2.0rc1", "0.2.0rc1", True),
    ("0.2.0rc1", ">= 0.1", False),
    ("0.2.0", "> 0.2.0rc1", True),
    ("0.2.0rc1", "= 0.2.0", False),
]


@pytest.mark.parametrize(("version", "constraint", "expected"), CASES)
def test_constraints(version: str, constraint: str, expected: bool) -> None:
    assert satisfies(version, constraint) is expected


@pytest.mark.parametrize("constraint", ["", "latest", ">= ", "0.1 || 0.2", "^0.1", "0.1,"])
def test_not_constraints(constraint: str) -> None:
    with pytest.raises(ValueError):
        satisfies("0.1.0", constraint)


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interform", "-C", str(root), "validate"],
        capture_output=True,
        text=True,
        check=False,
    )


def project(tmp_path: Path, pin: str, extra: str = "") -> Path:
    (tmp_path / "interviews").mkdir()
    (tmp_path / "interform.yaml").write_text(
        f"project: pinned\nrequired_version: {pin}\n{extra}targets:\n  m:\n    provider: micro1\n"
    )
    return tmp_path


def test_the_running_version_passes(tmp_path: Path) -> None:
    done = validate(project(tmp_path, f'"~> {__version__}"'))
    assert (done.returncode, done.stdout, done.stderr) == (0, "0 definitions valid\n", "")


def test_another_version_refuses_at_the_pin_and_says_nothing_else(tmp_path: Path) -> None:
    # a newer interform's keys mean nothing to this one: only the pin is reported
    done = validate(project(tmp_path, '"9.9.9"', extra="keys_from_the_future: 1\n"))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"interform.yaml:2:19: this is interform {__version__}, but the project requires "
        "'9.9.9' — install the version it requires (CI installs the pinned one: see the "
        "interform CI guide), or change required_version if the project should move\n"
    )


def test_a_constraint_that_is_not_one(tmp_path: Path) -> None:
    done = validate(project(tmp_path, "latest"))
    assert done.returncode == 1
    assert done.stderr == (
        "interform.yaml:2:19: required_version 'latest' is not a version constraint — write "
        'one as Terraform does, e.g. "0.1.0", ">= 0.1, < 0.2" or "~> 0.1.0"\n'
    )


def test_a_number_is_not_a_constraint(tmp_path: Path) -> None:
    # YAML reads 0.1 as a float: the schema asks for a string
    done = validate(project(tmp_path, "0.1"))
    assert done.returncode == 1
    assert done.stderr == (
        "interform.yaml:2:19: required_version must be text — put it in quotes to make it text\n"
    )
