"""The README's first lines give two commands; CI must run the second one exactly."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README must open with a ```sh block holding the two commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert text.index("```sh") < 200, "the commands must be in the README's first lines"
    assert len(readme_commands()) == 2


def test_ci_runs_the_readme_test_command_exactly() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci


def test_main_command_applies_the_examples_to_the_sandbox() -> None:
    # CI cannot run `pip install -e .` twice cheaply; the part after it is what matters.
    install, _, run = readme_commands()[0].partition(" && ")
    assert install == "pip install -e ."
    assert run == "interform apply --sandbox --auto-approve"


def test_the_readme_definition_example_is_valid(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from interform.cli import main

    text = (ROOT / "README.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example, "the README shows a definition"
    (tmp_path / "interform.yaml").write_text("targets:\n  micro1:\n    provider: micro1\n")
    (tmp_path / "interviews" / "engineering").mkdir(parents=True)
    (tmp_path / "interviews" / "engineering" / "backend-senior.yaml").write_text(example[1])
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "validate"])
    assert result.exit_code == 0, result.output
