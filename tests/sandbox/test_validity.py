"""The compiled schema check gives jsonschema's verdict on every body, valid or not."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from interform.providers import schemas
from interform.providers.schemas import checker

from .support import seed

UUID = "123e4567-e89b-12d3-a456-426614174000"
SESSION = {**seed("instaview", "inline_candidate_inline_job"), "agentId": UUID}
SESSION["scheduleTime"] = "2027-01-16T10:00:00Z"
JOBMOJITO = {
    k: v
    for k, v in seed("jobmojito", "create").items()
    if k not in ("mojito_language_code", "is_embedded")
}
# the examples of micro1's OpenAPI and of Instaview's create-webhook page
MICRO1_WEBHOOK = {
    "url": "https://micro1.ai/webhook",
    "description": "Webhook for interview reports",
    "event": "interview_report.created",
}
INSTAVIEW_WEBHOOK = {
    "url": "https://api.example.com/webhooks/instaview",
    "events": ["interview.completed", "analysis.completed"],
    "name": "Production Webhook",
    "description": "Receives interview completion notifications",
    "headers": [{"name": "Authorization", "value": "Bearer token"}],
}
SAMPLES: dict[str, dict[str, Any]] = {
    "micro1.interview.create.request": seed("micro1", "create"),
    "micro1.interview.create-custom.request": seed("micro1", "create_custom"),
    "micro1.interview.update.request": seed("micro1", "create"),
    "jobmojito.interview.create.request": seed("jobmojito", "create"),
    "jobmojito.interview.update.request": {**JOBMOJITO, "position_id": UUID},
    "jobmojito.interview.set-state.request": {"position_id": UUID, "status": "deleted"},
    "instaview.agent.create.request": seed("instaview", "agent"),
    "instaview.agent.update.request": seed("instaview", "agent"),
    "instaview.session.create.request": SESSION,
    "instaview.job.create.request": SESSION["job"],
    "instaview.job.update.request": SESSION["job"],
    "instaview.candidate.create.request": {**SESSION["candidate"], "jobId": UUID},
    "instaview.candidate.update.request": {**SESSION["candidate"], "jobId": UUID},
    "versive.study.create.request": seed("versive", "study"),
    "versive.study.update.request": {"config": {"a": 1}, "metadata": {"b": 2}},
    "versive.session.create.request": {**seed("versive", "create"), "study_id": UUID},
    "micro1.webhook.create.request": MICRO1_WEBHOOK,
    "micro1.webhook.update.request": MICRO1_WEBHOOK,
    "instaview.webhook.create.request": {**INSTAVIEW_WEBHOOK, "companyId": UUID},
    "instaview.webhook.update.request": {**INSTAVIEW_WEBHOOK, "isActive": False},
}

SCALARS = ["", "x", "en", "EN", "active", "A1", UUID, "2027-01-16", "audio"]
KEYS = st.sampled_from(["name", "question", "x", "title"])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 30)
    | st.floats(-1, 30, allow_nan=False)
    | st.sampled_from(SCALARS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)


def test_every_shipped_request_schema_compiles_and_accepts_its_sample() -> None:
    names = [n for n in schemas.names() if n.endswith(".request")]
    assert sorted(SAMPLES) == sorted(names)
    for name, body in SAMPLES.items():
        check = checker(name)
        assert check is not None, name
        assert schemas.problems(name, body) == [], name
        assert check(body), name


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*prefix, i))
    return found


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_same_verdict_as_jsonschema_on_mutated_bodies(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SAMPLES)))
    body: Any = copy.deepcopy(SAMPLES[name])
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(body)))
        parent = body
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            body = data.draw(json_values) if action == "replace" else body
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["extra", "name", "status", "time", "jobId"]))] = (
                data.draw(json_values)
            )
        else:
            parent[path[-1]] = data.draw(json_values)
    check = checker(name)
    assert check is not None
    verdict = schemas.problems(name, body) == []
    event(f"valid: {verdict}")
    assert check(body) == verdict, (name, body)
