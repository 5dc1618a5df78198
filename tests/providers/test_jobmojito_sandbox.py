"""Round trip of the JobMojito adapter against the sandbox emulator (written separately
from the spec): create → read → update questions → replace on a language change →
archive, with every read-back equal to the rendered body."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from interform import sandbox
from interform.model.definition import Definition
from interform.model.project import Target
from interform.plan.matching import find
from interform.providers.base import Applied, DesiredResource, Policy, Provider
from interform.providers.factory import open_provider
from interform.providers.jobmojito.provider import JobMojito
from interform.sandbox import registry

from .adapter_support import entry

if TYPE_CHECKING:
    from .conftest import FakeClock

OFFLINE = "0f5e3c1a-8d2b-4e6f-9a7c-3b1d5e7f9a20"
MARKER = "interform:acme:engineering/backend@jm"


def desired(language: str = "en", removal: str = "deleted", **extra: Any) -> DesiredResource:
    questions = [
        {"id": "lead", "text": "Tell us about a project you led.", "answer_time": "2m"},
        {"text": "What would you change?", "follow_up_to": "lead"},
        *extra.pop("more", []),
    ]
    defn = Definition.model_validate(
        {
            "title": "Senior Backend Engineer",
            "language": language,
            "questions": questions,
            "jobmojito": {
                "interview_template_id": OFFLINE,
                "interview_attempts": 2,
                "welcome_message": "Welcome!",
                "embed": {"signing_key_file": ".keys/jm"},
                "removal": removal,
                **extra,
            },
        }
    )
    (res,) = JobMojito.render(defn, "engineering/backend", "jm", "interviews/backend.yaml")
    return res


@pytest.fixture
def jm(tmp_path: Path, clock: FakeClock) -> Iterator[Provider]:
    provider = open_provider(
        "jm",
        Target(provider="jobmojito"),
        transport=sandbox.transport("jobmojito", state_dir=tmp_path, faults=sandbox.Faults()),
        credential=sandbox.sandbox_credential("jm"),
        sleep=clock.sleep,
        clock=clock,
    )
    yield provider
    provider.http.close()
    registry.close_all()


def read_body(jm: Provider, res: DesiredResource, applied: Applied) -> dict[str, Any] | None:
    state = jm.read(entry(res, applied))
    return None if state is None else state.body


def test_round_trip_against_the_emulator(jm: Provider) -> None:
    first = desired()
    applied = jm.create(first, MARKER, None)
    assert "embed_signing_key" in applied.secrets and "embed_id" in applied.urls
    assert read_body(jm, first, applied) == first.body

    # questions of an active interview on an offline avatar: draft → update → active
    edited = desired(more=[{"text": "Why us?"}], interview_attempts=3)
    names = sorted(k for k in edited.body if edited.body[k] != first.body.get(k))
    assert names == ["interview_attempts", "questions"]
    jm.update(edited, entry(first, applied), names)
    assert read_body(jm, edited, applied) == edited.body
    assert jm.fetch("interview", applied.remote_id).body["status"] == "active"

    # a new language cannot be set in place: a new interview, then the old one removed
    assert JobMojito.kinds["interview"].policy("mojito_language_code") is Policy.REPLACE
    german = desired(language="de", more=[{"text": "Why us?"}], interview_attempts=3)
    replacement = jm.create(german, MARKER, None)
    jm.remove(entry(edited, applied))
    assert read_body(jm, edited, applied) is None, "deleted counts as gone"
    assert read_body(jm, german, replacement) == german.body
    found = find(jm, german, MARKER, None, None, exclude=set())
    assert (found.status, found.remote_id) == ("found", replacement.remote_id)
    assert found.state is not None and found.state.body == german.body, "adopted without a diff"
    assert [s.remote_id for s in jm.discover("interview")] == [replacement.remote_id]

    # the key can be fetched again; archiving keeps the interview readable as archived
    assert isinstance(jm, JobMojito)
    assert "embed_signing_key" in jm.embed_key(entry(german, replacement)).secrets
    archived = desired(language="de", removal="archived")
    jm.remove(entry(archived, replacement))
    assert jm.fetch("interview", replacement.remote_id).body["status"] == "archived"
