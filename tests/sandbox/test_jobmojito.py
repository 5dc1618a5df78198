"""JobMojito emulator behaviour: the question diff, the offline-template rule, soft
removal, lists, embeds."""

from __future__ import annotations

from typing import Any

import httpx

from .support import Clock, Connect, seed

OFFLINE = "0f5e3c1a-8d2b-4e6f-9a7c-3b1d5e7f9a20"


def _create(c: httpx.Client, **changes: Any) -> str:
    body = {**seed("jobmojito", "create"), "is_embedded": None, **changes}
    answer = c.post("/job-interview-create-from-array", json=body)
    assert answer.status_code == 200, answer.text
    oid: str = answer.json()["interview_def_set_id"]
    return oid


def _get(c: httpx.Client, oid: str) -> dict[str, Any]:
    got: dict[str, Any] = c.get("/job-interview-get", params={"position_id": oid}).json()
    return got


def _update(c: httpx.Client, oid: str, **fields: Any) -> httpx.Response:
    return c.post("/job-interview-update", json={"position_id": oid, **fields})


def test_diff_matches_external_id_then_id_then_content(connect: Connect) -> None:
    c = connect("jobmojito")
    oid = _create(c, status="draft")
    lead, retro = _get(c, oid)["questions"]
    sent = [
        {"question": "Tell us about a project you led, end to end.", "external_id": "lead"},
        {"id": retro["id"], "question": retro["question"], "external_id": "retro",
         "is_conditional": True, "conditional_question_main_id": lead["id"]},
        {"question": "Brand new?"},
    ]  # fmt: skip
    diff = _update(c, oid, questions=sent).json()["questions_diff"]
    new_lead = diff["replaced"][0]["to"]
    assert diff["replaced"][0]["from"] == lead["id"]
    # the child's parent was replaced, so the child is a new record too
    assert [r["from"] for r in diff["replaced"]] == [lead["id"], retro["id"]]
    assert len(diff["added"]) == 1 and diff["kept"] == [] and diff["removed"] == []
    questions = _get(c, oid)["questions"]
    assert questions[0]["id"] == new_lead and questions[0]["duration"] == 120  # carried over
    assert questions[1]["conditional_question_main_id"] == new_lead
    assert diff["question_ids"][1:-1] == [q["id"] for q in questions]
    same = _update(c, oid, questions=[{"question": q["question"]} for q in questions[2:]])
    assert same.json()["questions_diff"]["kept"] == [questions[2]["id"]]  # identical content
    assert same.json()["questions_diff"]["removed"] == [q["id"] for q in questions[:2]]


def test_resending_what_get_returned_changes_nothing(connect: Connect) -> None:
    c = connect("jobmojito")
    oid = _create(c)
    before = _get(c, oid)
    answer = _update(c, oid, questions=before["questions"]).json()
    assert answer["questions_diff"]["reactivated"] is False
    assert answer["updated_fields"] == ["questions"]
    assert _get(c, oid)["questions"] == before["questions"]


def test_offline_template_needs_draft_before_question_changes(connect: Connect) -> None:
    c = connect("jobmojito")
    oid = _create(c, interview_template_id=OFFLINE)
    assert _get(c, oid)["interview_template_type"] == "offline_heygen"
    change = [{"question": "Only one now"}]
    refused = _update(c, oid, questions=change)
    assert refused.status_code == 422 and refused.json()["name"] == "questions"
    assert _update(c, oid, name="still fine").status_code == 200  # not a question change
    c.post("/job-interview-set-state", json={"position_id": oid, "status": "draft"})
    assert _update(c, oid, questions=change).json()["questions_diff"]["reactivated"] is False
    c.post("/job-interview-set-state", json={"position_id": oid, "status": "active"})
    interactive = _create(c)
    assert _update(c, interactive, questions=change).json()["questions_diff"]["reactivated"]


def test_update_is_partial_and_reports_columns(connect: Connect, clock: Clock) -> None:
    c = connect("jobmojito")
    oid = _create(c)
    before = _get(c, oid)
    clock.now += 5
    fields = _update(c, oid, location="hybrid", code="  ", interview_tone="PERSUASIVE",
                     interview_attempts=3, custom_scoring={"max_score": 10}, type="coaching",
                     status="draft").json()["updated_fields"]  # fmt: skip
    assert fields == [
        "status", "interview_location", "code", "type", "type_credit", "result_scoring",
        "creation_parameters",
    ]  # fmt: skip
    after = _get(c, oid)
    assert (after["interview_location"], after["code"], after["type_credit"]) == (
        "hybrid", None, "interview_coach_manager")  # fmt: skip
    assert after["result_scoring"] == {"max_retries": 3, "max_score": 10}
    assert after["creation_parameters"]["interview_tone"] == "persuasive"
    assert after["creation_parameters"]["seniority_level"] == "senior"  # kept
    assert after["description"] == before["description"]
    assert after["updated_at"] > before["updated_at"]


def test_soft_removal_and_lists(connect: Connect, clock: Clock) -> None:
    c = connect("jobmojito")
    ids = []
    for name in ("Alpha", "Beta", "Gamma"):
        clock.now += 1
        ids.append(_create(c, name=name))
    coaching = _create(c, name="Coach", type="coaching")
    clock.now += 1
    c.post("/job-interview-set-state", json={"position_id": ids[0], "status": "deleted"})
    listed = c.get("/merchant-interview-list", params={"limit": 2}).json()
    assert [i["name"] for i in listed["data"]] == ["Alpha", "Gamma"]  # newest-updated first
    assert listed["pagination"] == {"total": 3, "limit": 2, "offset": 0, "has_more": True}
    assert "code" not in listed["data"][0]
    rest = c.get("/merchant-interview-list", params={"limit": 2, "offset": 2}).json()
    assert [i["name"] for i in rest["data"]] == ["Beta"] and not rest["pagination"]["has_more"]
    deleted = c.get("/merchant-interview-list", params={"status": "deleted"}).json()["data"]
    assert [i["id"] for i in deleted] == [ids[0]]
    assert _get(c, ids[0])["status"] == "deleted"
    found = c.get("/merchant-interview-list", params={"filter_text": "AMM"}).json()["data"]
    assert [i["name"] for i in found] == ["Gamma"]
    coached = c.get("/merchant-interview-list", params={"type": "coaching"}).json()["data"]
    assert [i["id"] for i in coached] == [coaching]


def test_embed_key_is_kept_returned_again_and_removed(connect: Connect) -> None:
    c = connect("jobmojito")
    oid = _create(c)

    def embed(value: bool) -> dict[str, Any]:
        body = {"position_id": oid, "is_embedded": value}
        answer: dict[str, Any] = c.post("/job-interview-set-state", json=body).json()
        return answer

    first = embed(True)
    assert embed(True) == first and len(first["embed_signing_key"]) == 64
    assert embed(False) == {"success": True}
    assert embed(True)["embed_id"] != first["embed_id"]
    assert "embed" not in str(_get(c, oid))


def test_other_merchants_and_knowledge_bases_are_refused(connect: Connect) -> None:
    c = connect("jobmojito")
    body = {**seed("jobmojito", "create"), "merchant_id": "28106cba-1c27-4e53-b149-32113e5e8e31"}
    refused = c.post("/job-interview-create-from-array", json=body)
    assert refused.status_code == 500 and "not authorized" in refused.json()["error"]
    kb = {**seed("jobmojito", "create"), "knowledge_base_store_id": "kb"}
    assert c.post("/job-interview-create-from-array", json=kb).status_code == 500
    oid = _create(c)
    assert _update(c, oid, interview_template_id="nope").status_code == 422
