"""The GitHub workflow `interform init --ci github` writes, run for real: a bare git
repository stands in for GitHub (its default branch is `trunk`, not `main`), a served
sandbox for the platforms, and `workflow.py` runs the workflow file's own jobs, step by
step, as a runner would. Each push to the default branch queues a run of the apply job;
runs take their turn (the job's concurrency group), in the orders the tests choose.

Scenarios (issue 10): two merges back to back, in both orders and with a run whose
checkout falls behind; a push that races another lockfile commit; two branches that each
applied and committed the lockfile, merged in both orders; both branches creating the
same address; a plan over the safety thresholds forced through the reviewed path; a
lockfile that cannot be pushed, kept and put back as docs/ci.md says. Afterwards every
definition has exactly one remote object, the lockfile on the default branch tracks all
of them, and `interform plan` on a fresh clone shows no changes.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from interform import __version__
from interform.lockfile.store import read_lockfile

from .gitlab import load_recipe, recipe_text, run_job
from .harness import (
    CLI,
    CREDENTIALS,
    DEFINITIONS,
    Served,
    environment,
    make_project,
    managed_remote,
    serve,
)
from .workflow import Event, JobResult, Runner, fake_pip, runner_env

BRANCH = "trunk"
WORKFLOW = ".github/workflows/interform.yml"
SOURCE = "https://example.invalid/interform.git"
BASE = ["eng/frontend"]  # what the default branch defines before each scenario


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serve(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


class Hub:
    """The bare repository standing in for GitHub, the clones people work in, and the
    runs of the workflow that pushes to the default branch trigger."""

    def __init__(self, root: Path, served: Served, account: str, recipe: str) -> None:
        self.root, self.served, self.account, self.recipe = root, served, account, recipe
        self.remote = root / "hub.git"
        self.tools = root / "tools"
        self.pip_log = fake_pip(self.tools)
        # retries back off with `sleep`: the test's returns at once; git is here already
        for tool in ("sleep", "apt-get"):
            (self.tools / tool).write_text("#!/bin/sh\nexit 0\n")
            (self.tools / tool).chmod(0o755)
        self.env = runner_env([self.tools, Path(CLI[0]).parent], environment(account))
        self.git("init", "-q", "--bare", "-b", BRANCH, str(self.remote))
        self.queue: list[str] = []  # pushes to the default branch, each one run to make
        self.runs = 0

    # ------------------------------------------------------------------ people

    def git(self, *args: str, cwd: Path | None = None, check: bool = True) -> str:
        done = subprocess.run(
            ["git", *args], cwd=cwd or self.root, env=self.env, capture_output=True, text=True
        )
        assert not check or done.returncode == 0, done
        return done.stdout

    def interform(self, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, *args], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=120
        )

    def clone(self, name: str, branch: str = BRANCH) -> Path:
        """A person's clone, set up as the docs say (`interform lockfile setup-git`)."""
        path = self.root / name
        self.git("clone", "-q", "--branch", branch, str(self.remote), str(path))
        self.git("config", "user.name", name, cwd=path)
        self.git("config", "user.email", f"{name}@example.com", cwd=path)
        done = self.interform(path, "lockfile", "setup-git")
        assert done.returncode == 0, done
        return path

    def commit(self, clone: Path, message: str) -> None:
        self.git("add", "-A", cwd=clone)
        self.git("commit", "-q", "-m", message, cwd=clone)

    def push(self, clone: Path, branch: str = BRANCH) -> None:
        self.git("push", "-q", "origin", f"HEAD:{branch}", cwd=clone)
        if branch == BRANCH:
            self.queue.append(self.git("rev-parse", "HEAD", cwd=clone).strip())

    def seed(self) -> None:
        """The project on the default branch, set up for CI as a team would do it."""
        work = self.root / "seed"
        self.git("init", "-q", "-b", BRANCH, str(work))
        make_project(work, self.served.url)
        for address in DEFINITIONS:
            if address not in BASE:
                (work / "interviews" / f"{address}.yaml").unlink()
        settings = work / "interform.yaml"
        settings.write_text(f'required_version: "{__version__}"\n' + settings.read_text())
        done = self.interform(work, "init", "--ci", "github")  # an existing project
        assert done.returncode == 0, done
        workflow = work / WORKFLOW
        workflow.write_text(
            workflow.read_text().replace("https://github.com/OWNER/interform", SOURCE)
        )
        gitlab = recipe_text().replace("https://github.com/<owner>/interform", SOURCE)
        (work / ".gitlab-ci.yml").write_text(gitlab)
        self.git("config", "user.name", "seed", cwd=work)
        self.git("config", "user.email", "seed@example.com", cwd=work)
        self.commit(work, "interform project")
        self.git("remote", "add", "origin", str(self.remote), cwd=work)
        self.push(work)
        assert self.ci().result == "success"

    def add(self, clone: Path, address: str) -> None:
        path = clone / "interviews" / f"{address}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(DEFINITIONS[address])

    def merge_pr(self, address: str, name: str) -> None:
        """A pull request adding `address`, merged on the default branch."""
        clone = self.clone(name)
        self.add(clone, address)
        self.commit(clone, f"add {address}")
        self.push(clone)

    def apply_locally(self, clone: Path) -> None:
        done = self.interform(clone, "apply", "--auto-approve")
        assert done.returncode == 0, done.stdout + done.stderr

    # ------------------------------------------------------------------ CI

    def runner(self, event: Event) -> Runner:
        text = self.git(f"--git-dir={self.remote}", "show", f"{BRANCH}:{WORKFLOW}")
        workflow = YAML(typ="safe").load(text)
        self.runs += 1
        return Runner(
            workflow,
            event,
            self.remote,
            self.root / f"run-{self.runs}",
            self.env,
            {
                **{variable: self.env[variable] for variable in CREDENTIALS.values()},
                "INTERFORM_PLAN_KEY": f"plan-key-of-{self.account}",
            },
        )

    def ci(self, between: Callable[[str], None] | None = None, pre_push: str = "") -> JobResult:
        """The run of the oldest push not run yet."""
        sha = self.queue.pop(0)
        if self.recipe == "gitlab":
            assert between is None, "the GitLab job runs as one script"
            self.runs += 1
            return run_job(
                load_recipe(self.git(f"--git-dir={self.remote}", "show", f"{sha}:.gitlab-ci.yml")),
                "apply",
                remote=self.remote,
                sha=sha,
                branch=BRANCH,
                workspace=self.root / f"run-{self.runs}" / "workspace",
                env=self.env,
                pre_push=pre_push,
            )
        run = self.runner(Event("push", BRANCH, BRANCH))
        result = run.run("apply", between)
        assert "skipped" not in (run.results["apply"],), result.log()
        return result

    def run_queue(self) -> None:
        while self.queue:
            result = self.ci()
            assert result.result == "success", result.log()

    # ------------------------------------------------------------------ checks

    def assert_converged(self, defined: list[str]) -> None:
        """Every definition once on its platforms, all tracked on the default branch,
        and nothing to do for a fresh clone."""
        fresh = self.clone(f"fresh-{self.runs}")
        lock = read_lockfile(fresh / "interform.lock")
        assert lock is not None
        interviews = sorted({e.interview for e in lock.entries.values()})
        assert interviews == sorted(defined)
        assert all(e.remote_id and not e.pending for e in lock.entries.values())
        assert not [a for a in lock.entries if "~" in a], sorted(lock.entries)
        tracked: dict[tuple[str, str], set[str]] = {}
        for entry in lock.entries.values():
            tracked.setdefault((entry.target, entry.kind), set()).add(entry.remote_id or "")
        for key, ids in managed_remote(self.served.state, self.account).items():
            assert ids == tracked.get(key, set()), (
                f"{key}: remote {sorted(ids)}, tracked {tracked.get(key)}"
            )
        plan = self.interform(fresh, "plan", "--detailed-exitcode")
        assert plan.returncode == 0, plan.stdout + plan.stderr
        installed = self.pip_log.read_text().splitlines()
        assert set(installed) == {f"install interform @ git+{SOURCE}@v{__version__}"}


@pytest.fixture
def hub(tmp_path: Path, served: Served, request: pytest.FixtureRequest) -> Hub:
    # one set of accounts per test (parametrised ones too) on the shared server
    account = "ci-" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
    made = Hub(tmp_path, served, account, getattr(request, "param", "github"))
    made.seed()
    return made


# ---------------------------------------------------------------------- scenarios


@pytest.mark.slow
def test_a_pull_request_is_planned_without_credentials(hub: Hub) -> None:
    clone = hub.clone("alice")
    hub.git("checkout", "-q", "-b", "feature", cwd=clone)
    hub.add(clone, "support/screen")
    hub.commit(clone, "add support/screen")
    hub.push(clone, "feature")
    run = hub.runner(Event("pull_request", BRANCH, "feature"))
    run.env = {k: v for k, v in run.env.items() if k not in CREDENTIALS.values()}
    run.secrets = {}
    result = run.run("plan")
    assert result.result == "success", result.log()
    assert run.run("apply").result == "skipped"
    comment = (run.artifacts / "interform-plan" / "plan.md").read_text()
    assert "support/screen@jm" in comment and "1 to create" in comment
    summary = (run.root / "temp-plan" / "summary").read_text()
    assert "support/screen@jm" in summary
    assert not managed_remote(hub.served.state, hub.account)[("jm", "interview")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("hub", "order"),
    [("github", "in order"), ("github", "newest first"), ("gitlab", "in order")],
    indirect=["hub"],
)
def test_two_merges_back_to_back(hub: Hub, order: str) -> None:
    hub.merge_pr("eng/backend", "alice")
    hub.merge_pr("support/screen", "bob")
    if order == "newest first":
        hub.queue.reverse()
    hub.run_queue()
    hub.assert_converged([*BASE, "eng/backend", "support/screen"])


@pytest.mark.slow
def test_a_run_whose_checkout_falls_behind_catches_up_before_applying(hub: Hub) -> None:
    hub.merge_pr("eng/backend", "alice")
    hub.merge_pr("support/screen", "bob")
    first, second = (
        hub.runner(Event("push", BRANCH, BRANCH)),
        hub.runner(Event("push", BRANCH, BRANCH)),
    )
    hub.queue.clear()
    # the second run checks the branch out, then the first runs to its end (pushing its
    # lockfile commit) before the second goes on
    late = second.job("apply")
    assert next(late).startswith("actions/checkout")
    assert next(late) == "actions/setup-python@v5"  # the checkout step has run
    assert first.run("apply").result == "success"
    try:
        while True:
            next(late)
    except StopIteration as done:
        result: JobResult = done.value
    assert result.result == "success", result.log()
    caught_up = next(s for s in result.steps if s.label == "Catch up with the branch")
    assert "Fast-forward" in caught_up.output, result.log()
    hub.assert_converged([*BASE, "eng/backend", "support/screen"])


@pytest.mark.slow
def test_a_push_that_races_another_lockfile_commit(hub: Hub) -> None:
    hub.merge_pr("eng/backend", "alice")
    carol = hub.clone("carol")

    def meanwhile(step: str) -> None:
        # while CI applies, carol applies another definition from her laptop and pushes
        # her lockfile commit first
        if step == "Commit and push the lockfile":
            hub.git("pull", "-q", "--rebase", cwd=carol)
            hub.add(carol, "support/screen")
            hub.apply_locally(carol)
            hub.commit(carol, "add support/screen, applied")
            hub.push(carol)

    result = hub.ci(between=meanwhile)
    assert result.result == "success", result.log()
    push = next(s for s in result.steps if s.label == "Commit and push the lockfile")
    assert "rejected" in push.output  # its first push lost the race, the retry won
    hub.run_queue()  # carol's push
    hub.assert_converged([*BASE, "eng/backend", "support/screen"])


@pytest.mark.slow
@pytest.mark.parametrize("hub", ["gitlab"], indirect=True)
def test_gitlab_a_push_that_races_another_lockfile_commit(hub: Hub) -> None:
    hub.merge_pr("eng/backend", "alice")
    # carol applied another definition from her laptop; her push lands just before CI's
    carol = hub.clone("carol")
    hub.add(carol, "support/screen")
    hub.apply_locally(carol)
    hub.commit(carol, "add support/screen, applied")
    once = hub.root / "raced"
    result = hub.ci(
        pre_push=f"#!/bin/sh\nif [ ! -e {once} ]; then touch {once}; "
        f"git -C {carol} push -q origin HEAD:{BRANCH}; fi\n"
    )
    assert result.result == "success", result.log()
    assert "rejected" in result.log()
    hub.queue.append(hub.git("rev-parse", "HEAD", cwd=carol).strip())  # carol's pipeline
    hub.run_queue()
    hub.assert_converged([*BASE, "eng/backend", "support/screen"])


@pytest.mark.slow
@pytest.mark.parametrize("order", [("bx", "by"), ("by", "bx")])
def test_two_branches_that_each_applied_and_committed_the_lockfile(
    hub: Hub, order: tuple[str, str]
) -> None:
    for branch, address in (("bx", "eng/backend"), ("by", "support/screen")):
        clone = hub.clone(f"dev-{branch}")
        hub.git("checkout", "-q", "-b", branch, cwd=clone)
        hub.add(clone, address)
        hub.apply_locally(clone)
        hub.commit(clone, f"add {address}, applied")
        hub.push(clone, branch)
    maintainer = hub.clone("maintainer")
    for branch in order:
        hub.git("fetch", "-q", "origin", branch, cwd=maintainer)
        hub.git("merge", "-q", "--no-edit", "FETCH_HEAD", cwd=maintainer)
        hub.push(maintainer)
        hub.run_queue()
        hub.git("pull", "-q", "--rebase=false", "--no-edit", cwd=maintainer)
    hub.assert_converged([*BASE, "eng/backend", "support/screen"])


@pytest.mark.slow
def test_both_branches_created_the_same_address(hub: Hub) -> None:
    for branch in ("bx", "by"):
        clone = hub.clone(f"dev-{branch}")
        hub.git("checkout", "-q", "-b", branch, cwd=clone)
        hub.add(clone, "eng/backend")  # micro1 interview, Instaview agent and session
        hub.apply_locally(clone)
        hub.commit(clone, "add eng/backend, applied")
        hub.push(clone, branch)
    made = managed_remote(hub.served.state, hub.account)
    assert len(made[("micro1", "interview")]) == 3  # frontend, and backend twice
    maintainer = hub.clone("maintainer")
    for branch in ("bx", "by"):
        hub.git("fetch", "-q", "origin", branch, cwd=maintainer)
        merged = subprocess.run(
            ["git", "merge", "--no-edit", "FETCH_HEAD"],
            cwd=maintainer,
            env=hub.env,
            capture_output=True,
            text=True,
        )
        assert merged.returncode == 0, merged
    assert "both sides created it" in merged.stderr
    hub.push(maintainer)
    result = hub.ci()
    assert result.result == "success", result.log()
    applied = next(s for s in result.steps if s.label == "Apply").output
    # the second copy of each: micro1 interview, Instaview agent, job, candidate, session
    assert "Apply complete: 5 deleted" in applied, applied
    hub.assert_converged([*BASE, "eng/backend"])


@pytest.mark.slow
def test_a_plan_over_the_thresholds_goes_through_the_reviewed_force_path(hub: Hub) -> None:
    clone = hub.clone("alice")
    settings = clone / "interform.yaml"
    settings.write_text(settings.read_text() + "safety:\n  max_deletes: 0\n")
    hub.add(clone, "support/screen")
    hub.commit(clone, "add support/screen; no deletes without a review")
    hub.push(clone)
    hub.run_queue()
    hub.git("pull", "-q", "--rebase", cwd=clone)  # CI's lockfile commit
    (clone / "interviews" / "eng" / "frontend.yaml").unlink()
    hub.commit(clone, "retire eng/frontend")
    hub.push(clone)
    refused = hub.ci()
    assert refused.result == "failure"
    assert refused.outcome("Apply") == "failure"
    assert "max_deletes" in next(s for s in refused.steps if s.label == "Apply").output
    assert refused.outcome("Commit and push the lockfile") == "success"  # nothing to push
    # by hand, with force: plan, approval (the environment's reviewers), apply that plan
    run = hub.runner(Event("workflow_dispatch", BRANCH, BRANCH, {"force": True}))
    assert run.run("plan").result == "skipped"
    planned = run.run("force-plan")
    assert planned.result == "success", planned.log()
    assert run.run("force-review").result == "success"
    applied = run.run("apply")
    assert applied.result == "success", applied.log()
    assert applied.outcome("Run interform refresh") == "skipped"
    hub.assert_converged(["support/screen"])


@pytest.mark.slow
def test_a_lockfile_that_cannot_be_pushed_is_kept_and_put_back(hub: Hub) -> None:
    # the hub refuses CI's lockfile commits (think: a branch protection rule)
    hook = hub.remote / "hooks" / "pre-receive"
    hook.write_text(
        "#!/bin/sh\nwhile read old new ref; do\n"
        '  if git log --format=%s "$old..$new" | grep -q "skip ci"; then exit 1; fi\n'
        "done\n"
    )
    hook.chmod(0o755)
    hub.merge_pr("eng/backend", "alice")
    failed = hub.ci()
    assert failed.result == "failure"
    assert failed.outcome("Apply") == "success"
    assert failed.outcome("Commit and push the lockfile") == "failure"
    kept = hub.root / f"run-{hub.runs}" / "artifacts" / "interform-unpushed"
    assert sorted(p.name for p in kept.iterdir()) == ["base.lock", "interform.lock"]
    hook.unlink()
    # put it back as docs/ci.md says
    clone = hub.clone("operator")
    merged = hub.interform(
        clone,
        "lockfile",
        "merge",
        str(kept / "base.lock"),
        "interform.lock",
        str(kept / "interform.lock"),
    )
    assert merged.returncode == 0, merged
    hub.git(
        "commit",
        "-q",
        "-m",
        "interform: put back the lockfile CI could not push",
        "--",
        "interform.lock",
        cwd=clone,
    )
    hub.push(clone)
    hub.run_queue()
    hub.assert_converged([*BASE, "eng/backend"])
