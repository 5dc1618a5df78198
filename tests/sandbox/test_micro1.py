"""micro1 emulator behaviour: paging, search, full-body updates, persistence."""

from __future__ import annotations

from pathlib import Path

import httpx

from interform.sandbox import registry
from interform.sandbox.faults import Faults
from interform.sandbox.inprocess import make_transport

from .support import Connect


def test_paging_is_one_based_newest_first_and_ends_short(connect: Connect) -> None:
    c = connect("micro1")
    ids = [
        c.post("/interview", json={"interview_name": f"Role {i}"}).json()["data"]["interview_id"]
        for i in range(5)
    ]
    pages = [
        c.get("/interviews", params={"page": p, "limit": 2}).json()["data"] for p in (1, 2, 3, 4)
    ]
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert [i["interview_id"] for p in pages for i in p] == ids[::-1]
    assert c.get("/interviews", params={"page": 0}).status_code == 400


def test_keyword_is_a_case_insensitive_substring_of_the_name(connect: Connect) -> None:
    c = connect("micro1")
    for name in ("Backend Senior", "Frontend", "backend junior"):
        c.post("/interview", json={"interview_name": name})
    found = c.get("/interviews", params={"keyword": "BACKEND"}).json()["data"]
    assert sorted(i["interview_name"] for i in found) == ["Backend Senior", "backend junior"]


def test_put_replaces_the_fields_sent_and_keeps_the_rest(connect: Connect) -> None:
    c = connect("micro1")
    body = {
        "interview_name": "R",
        "skills": [{"name": "Go"}],
        "interview_language": "es-la",
        "selected_coding_language": "cpp",
        "coding_exercise_details": "recursion",
    }
    oid = c.post("/interview", json=body).json()["data"]["interview_id"]
    c.put(f"/interview/{oid}", json={"skills": [], "coding_exercise_details": ""})
    (item,) = c.get("/interviews").json()["data"]
    assert item["skills"] == [] and item["coding_exercise_details"] == ""
    assert (item["interview_language"], item["selected_coding_language"]) == (
        "Spanish (Latin America)",
        "C++",
    )
    assert c.delete(f"/interview/{oid}").status_code == 200
    assert c.get("/interviews").json()["data"] == []


def test_accounts_are_separate_and_persist(tmp_path: Path) -> None:
    def client(key: str) -> httpx.Client:
        transport = make_transport("micro1", state_dir=tmp_path, faults=Faults())
        return httpx.Client(
            transport=transport, base_url="https://public.api.micro1.ai", headers={"x-api-key": key}
        )

    client("sandbox-a").post("/interview", json={"interview_name": "A only"})
    assert client("sandbox-b").get("/interviews").json()["data"] == []
    registry.close_all()  # a new process: only the log remains
    (item,) = client("sandbox-a").get("/interviews").json()["data"]
    assert item["interview_name"] == "A only"
    assert (tmp_path / "micro1" / "a.jsonl").is_file()


def test_the_default_base_url_and_the_server_prefix_both_route(connect: Connect) -> None:
    c = connect("micro1")
    assert c.get("https://elsewhere.example/micro1/interviews").status_code == 200
    assert c.get("/nope").status_code == 404
    assert c.patch("/interview/x").json()["status"] is False
