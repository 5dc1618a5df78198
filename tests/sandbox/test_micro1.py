"""micro1 emulator behaviour: paging, search, full-body updates, persistence."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from interform.sandbox import registry
from interform.sandbox.faults import Faults
from interform.sandbox.inprocess import emulator_transport, make_transport

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


def test_a_page_costs_the_page_not_the_account(tmp_path: Path) -> None:
    """A list call converts only the interviews it returns (apply reads page by page)."""
    emulator = registry.emulator_class("micro1")(tmp_path)
    client = httpx.Client(
        transport=emulator_transport(emulator, Faults()),
        base_url="https://public.api.micro1.ai",
        headers={"x-api-key": "sandbox-big"},
    )
    client.post("/interview", json={"interview_name": "Role"})
    account = emulator.store.account("big")
    (stored,) = account.all("interview")
    with account.writing():
        for i in range(3000):
            account.put("interview", f"id-{i}", {**stored, "interview_id": f"id-{i}"})

    def seconds(limit: int) -> float:
        started = time.perf_counter()
        page = client.get("/interviews", params={"limit": limit}).json()["data"]
        assert len(page) == min(limit, 3001)
        return time.perf_counter() - started

    one, everything = min(seconds(1) for _ in range(3)), min(seconds(3001) for _ in range(3))
    assert one < everything / 5
    emulator.close()
