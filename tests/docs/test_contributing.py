"""CONTRIBUTING.md says what CI checks: its layer order is the one `lint-imports`
enforces (and docs/architecture.md states), every check it lists is one `.ci/run` runs,
the files its platform checklist names exist, and its `interform` commands are real."""

from __future__ import annotations

import re

from interform.platforms import Platform

from .commands import check_invocation, interform_invocations, shell_lines
from .support import ROOT

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def layer_line(text: str) -> list[str]:
    found: list[str] = re.findall(r"^cli → .+$", text, re.M)
    assert len(found) == 1, "one line giving the layer order"
    return found[0].split(" → ")


def test_the_layer_order_is_the_enforced_one() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    contract = re.search(r'^type = "layers"\nlayers = \[(.*?)\]', pyproject, re.M | re.S)
    assert contract, "pyproject.toml has the layers contract"
    layers = re.findall(r'"([\w.]+)"', contract.group(1))
    enforced = [name.removeprefix("interform.") for name in layers]
    assert layer_line(CONTRIBUTING) == enforced
    assert layer_line((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")) == enforced


def test_every_listed_check_is_one_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = CONTRIBUTING.split("## Check your change", 1)[1].split("## ", 1)[0]
    for line in shell_lines(block):
        tool = line.split("#", 1)[0].split()
        if tool[:3] == ["python", "-m", "pytest"]:
            assert "python -m pytest" in ci
        elif tool[:2] == ["python", "bench/run.py"]:
            assert (ROOT / "bench" / "run.py").is_file()
        else:
            assert " ".join(tool) in ci, line


def test_the_platform_checklist_names_what_exists() -> None:
    fields = set(Platform.__dataclass_fields__)
    for name in ("name", "display", "credential_env"):
        assert f"{name}=" in CONTRIBUTING and name in fields
    for path in ("tests/platforms/test_toy_platform.py", "tests/plugins/toy_interform"):
        assert path in CONTRIBUTING and (ROOT / path).exists(), path
    package = ROOT / "src" / "interform" / "providers" / "micro1"
    for module in re.findall(r"^\d+\. `(\w+\.py)`", CONTRIBUTING, re.M):
        assert (package / module).is_file(), module


def test_its_interform_commands_exist() -> None:
    commands = [
        words for line in shell_lines(CONTRIBUTING) for words in interform_invocations(line)
    ]
    commands += [["interform", "schema"]]
    assert all(check_invocation(words) is None for words in commands)
