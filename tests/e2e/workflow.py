"""Runs a job of a GitHub Actions workflow file on this machine, as a runner would: its
`run:` steps in bash (`-eo pipefail`, GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY),
`if:` conditions and `${{ }}` expressions evaluated, `continue-on-error` honoured. The
few actions the interform workflows use are played by the test: checkout (a clone of a
bare repository standing in for GitHub), setup-python (nothing: the test's Python is on
PATH), upload/download-artifact (a directory per workflow run).

Anything else (another action, an expression it cannot read) fails the test: the
workflow must not grow something the tests do not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from git_support import git_env

ACTIONS = (
    "actions/checkout@",
    "actions/setup-python@",
    "actions/upload-artifact@",
    "actions/download-artifact@",
)
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<call>(?:always|success|failure|cancelled)\(\))|(?P<word>[A-Za-z_][\w.-]*))"
)
_STATUS = re.compile(r"\b(always|success|failure|cancelled)\(\)")
_INTERPOLATION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


@dataclass
class Event:
    name: str  # push, pull_request, workflow_dispatch
    default_branch: str
    ref_name: str
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    label: str
    outcome: str  # success, failure, skipped
    output: str = ""


@dataclass
class JobResult:
    result: str  # success, failure, skipped
    steps: list[Step] = field(default_factory=list)

    def log(self) -> str:
        return "\n".join(f"--- {s.label}: {s.outcome}\n{s.output}" for s in self.steps)

    def outcome(self, label: str) -> str:
        return next(s.outcome for s in self.steps if s.label == label)


@dataclass
class Runner:
    """One workflow run: shared artifacts, the results of jobs already run."""

    workflow: dict[str, Any]
    event: Event
    remote: Path  # the bare repository standing in for GitHub
    root: Path  # where workspaces, runner temp dirs and artifacts go
    env: dict[str, str]  # the runner's environment (PATH with interform and a pip)
    secrets: dict[str, str]
    results: dict[str, str] = field(default_factory=dict)  # job -> result

    @property
    def artifacts(self) -> Path:
        return self.root / "artifacts"

    def job(self, name: str) -> Generator[str, None, JobResult]:
        """Runs job `name`, yielding each step's label before the step runs (so a test
        can act between steps); the JobResult is the generator's return value."""
        job = self.workflow["jobs"][name]
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        context = _Context(self, name, {n: self.results.get(n, "skipped") for n in needs})
        if not context.condition(job.get("if", "success()"), job_level=True):
            self.results[name] = "skipped"
            return JobResult("skipped")
        result = yield from context.steps(job.get("steps", []))
        self.results[name] = result.result
        return result

    def run(self, name: str, between: Callable[[str], None] | None = None) -> JobResult:
        """Runs job `name` to its end, calling `between(label)` before each step."""
        steps = self.job(name)
        try:
            while True:
                label = next(steps)
                if between is not None:
                    between(label)
        except StopIteration as done:
            result: JobResult = done.value
            return result


class _Context:
    def __init__(self, runner: Runner, job: str, needs: dict[str, str]) -> None:
        self.runner = runner
        self.spec = runner.workflow["jobs"][job]
        self.needs = needs
        self.workspace = runner.root / f"workspace-{job}"
        self.temp = runner.root / f"temp-{job}"
        for directory in (self.workspace, self.temp):
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
        self.files = {n: self.temp / n for n in ("env", "output", "summary")}
        for path in self.files.values():
            path.write_text("")
        self.step_results: dict[str, dict[str, str]] = {}
        self.failed = False
        self.env: dict[str, str] = {}
        self.env.update(self.evaluate_all(runner.workflow.get("env", {})))
        self.env.update(self.evaluate_all(self.spec.get("env", {})))

    # ------------------------------------------------------------------ steps

    def steps(self, steps: list[dict[str, Any]]) -> Generator[str, None, JobResult]:
        done: list[Step] = []
        for number, step in enumerate(steps, start=1):
            label = _label(step, number)
            yield label
            if not self.condition(step.get("if", "success()")):
                done.append(Step(label, "skipped"))
                continue
            outcome, output = self.perform(step)
            done.append(Step(label, outcome, output))
            if "id" in step:
                conclusion = "success" if step.get("continue-on-error") else outcome
                self.step_results[step["id"]] = {"outcome": outcome, "conclusion": conclusion}
            if outcome == "failure" and not step.get("continue-on-error"):
                self.failed = True
        return JobResult("failure" if self.failed else "success", done)

    def perform(self, step: dict[str, Any]) -> tuple[str, str]:
        if "run" in step:
            return self.shell(str(step["run"]), self.evaluate_all(step.get("env", {})))
        uses = str(step["uses"])
        given = self.evaluate_all(step.get("with", {}))
        if uses.startswith("actions/checkout@"):
            return self.checkout(given)
        if uses.startswith("actions/setup-python@"):
            return "success", ""
        if uses.startswith("actions/upload-artifact@"):
            return self.upload(given)
        if uses.startswith("actions/download-artifact@"):
            return self.download(given)
        raise AssertionError(f"the workflow uses {uses}, which the test runner does not play")

    def shell(self, script: str, step_env: Mapping[str, str]) -> tuple[str, str]:
        env = {**self.runner.env, **self.env, **step_env, **self.github_env()}
        outcome, output = run_bash(script, self.temp / "step.sh", self.workspace, env)
        self.env.update(_assignments(self.files["env"].read_text()))
        return outcome, output

    def github_env(self) -> dict[str, str]:
        return {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": self.runner.event.name,
            "GITHUB_REF_NAME": self.runner.event.ref_name,
            "GITHUB_ENV": str(self.files["env"]),
            "GITHUB_OUTPUT": str(self.files["output"]),
            "GITHUB_STEP_SUMMARY": str(self.files["summary"]),
            "RUNNER_TEMP": str(self.temp),
        }

    def checkout(self, given: Mapping[str, str]) -> tuple[str, str]:
        ref = given.get("ref") or self.runner.event.ref_name
        done = subprocess.run(
            ["git", "clone", "-q", "--branch", ref, str(self.runner.remote), "."],
            cwd=self.workspace,
            env=self.runner.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return ("success" if done.returncode == 0 else "failure"), done.stderr

    def upload(self, given: Mapping[str, str]) -> tuple[str, str]:
        target = self.runner.artifacts / given["name"]
        found = False
        for line in given["path"].splitlines():
            source = self.workspace / line.strip()
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
                found = True
            elif source.is_file():
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / source.name)
                found = True
        if not found and given.get("if-no-files-found", "warn") == "error":
            return "failure", f"no files at {given['path']}"
        return "success", ""

    def download(self, given: Mapping[str, str]) -> tuple[str, str]:
        source = self.runner.artifacts / given["name"]
        if not source.is_dir():
            return "failure", f"no artifact {given['name']}"
        shutil.copytree(source, self.workspace / given.get("path", "."), dirs_exist_ok=True)
        return "success", ""

    # ------------------------------------------------------------------ expressions

    def condition(self, text: Any, job_level: bool = False) -> bool:
        if isinstance(text, bool):
            return text
        expression = str(text).strip()
        inner = _INTERPOLATION.fullmatch(expression)
        if inner:
            expression = inner[1].strip()
        if not _STATUS.search(expression):
            expression = f"success() && ({expression})"
        return bool(self.value(expression, job_level))

    def evaluate_all(self, values: Mapping[str, Any]) -> dict[str, str]:
        return {key: self.interpolate(str(value)) for key, value in values.items()}

    def interpolate(self, text: str) -> str:
        return _INTERPOLATION.sub(lambda m: _string(self.value(m[1], False)), text)

    def value(self, expression: str, job_level: bool) -> Any:
        """GitHub's expression language, translated to Python and evaluated."""
        python, position = [], 0
        expression = expression.strip()
        while position < len(expression):
            match = _TOKEN.match(expression, position)
            if match is None or match.end() == position:
                raise AssertionError(f"cannot read the expression {expression!r}")
            position = match.end()
            python.append(self.translate(match, job_level))
        return eval(
            " ".join(python), {"__builtins__": {}}, {"_look": self.look, "_status": self.status}
        )

    def translate(self, match: re.Match[str], job_level: bool) -> str:
        if match["str"] is not None:
            return repr(match["str"][1:-1].replace("''", "'"))
        if match["op"] is not None:
            return {"&&": "and", "||": "or", "!": "not"}.get(match["op"], match["op"])
        if match["call"] is not None:
            return f"_status({match['call'][:-2]!r}, {job_level})"
        word = match["word"]
        literals = {"true": "True", "false": "False", "null": "None"}
        return literals.get(word, f"_look({word!r})")

    def status(self, name: str, job_level: bool) -> bool:
        """A job's: how the jobs it needs ended (one skipped is not a success); a step's:
        whether an earlier step of the job failed."""
        if job_level:
            ok = all(r == "success" for r in self.needs.values())
            failed = any(r == "failure" for r in self.needs.values())
        else:
            ok, failed = not self.failed, self.failed
        return {"always": True, "success": ok, "failure": failed, "cancelled": False}[name]

    def look(self, dotted: str) -> Any:
        event = self.runner.event
        contexts: dict[str, Any] = {
            "github": {
                "event_name": event.name,
                "ref_name": event.ref_name,
                "event": {"repository": {"default_branch": event.default_branch}},
                "server_url": "https://github.example.com",
                "repository": "team/hiring",
                "run_id": str(id(self.runner)),
            },
            "inputs": event.inputs,
            "secrets": self.runner.secrets,
            "env": self.env,
            "steps": self.step_results,
            "needs": {name: {"result": result} for name, result in self.needs.items()},
            "runner": {"temp": str(self.temp)},
        }
        head, *rest = dotted.split(".")
        if head not in contexts:
            raise AssertionError(f"the test runner has no context {head!r} ({dotted})")
        value: Any = contexts[head]
        for part in rest:
            value = value.get(part) if isinstance(value, dict) else None
        return value


def _label(step: dict[str, Any], number: int) -> str:
    """What GitHub shows for a step: its name, else `Run <first line>`, else the action."""
    if step.get("name"):
        return str(step["name"])
    if "run" in step:
        return "Run " + str(step["run"]).splitlines()[0]
    return str(step.get("uses") or number)


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _assignments(text: str) -> dict[str, str]:
    pairs = (line.partition("=") for line in text.splitlines() if "=" in line)
    return {name: value for name, _, value in pairs}


def run_bash(script: str, path: Path, cwd: Path, env: Mapping[str, str]) -> tuple[str, str]:
    """Runs `script` (written to `path`) as CI runners run one: bash, no profile, stop at
    the first failing command. Returns the outcome and the output, stderr included."""
    path.write_text(script)
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    return ("success" if done.returncode == 0 else "failure"), done.stdout


def fake_pip(directory: Path) -> Path:
    """A `pip` that records what it was asked to install (interform is installed
    already); returns the file it writes to."""
    directory.mkdir(parents=True, exist_ok=True)
    record = directory / "pip.log"
    script = directory / "pip"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{record}"\n')
    script.chmod(0o755)
    return record


def runner_env(bin_dirs: list[Path], base: Mapping[str, str]) -> dict[str, str]:
    """The environment a job sees: `bin_dirs` first on PATH, no inherited git config."""
    path = os.pathsep.join([*map(str, bin_dirs), base.get("PATH", "")])
    return git_env({**base, "PATH": path}, identity=False)
