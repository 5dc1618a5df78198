"""Shared helpers of the sandbox tests: the seeds' example bodies, a controllable clock,
the platforms' default base URLs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from interform.providers import schemas

DATA = Path(__file__).parent / "data"
BASE_URLS = {
    "micro1": "https://public.api.micro1.ai",
    "jobmojito": "https://cool.jobmojito.com/functions/v1",
    "instaview": "https://api.instaview.sk",
    "versive": "https://api.getversive.com",
}
NOW = 1_800_000_000.0  # 2027-01-15, fixed so time rules are deterministic

Connect = Callable[..., httpx.Client]


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def auth(platform: str, key: str) -> dict[str, str]:
    return {"x-api-key": key} if platform == "micro1" else {"Authorization": f"Bearer {key}"}


def seed(platform: str, name: str) -> dict[str, Any]:
    examples: dict[str, Any] = json.loads((DATA / "seed_examples.json").read_text())
    body: dict[str, Any] = examples[platform][name]
    return body


def schema_errors(name: str, body: Any) -> list[str]:
    return [f"{p.pointer}: {p.message}" for p in schemas.problems(name, body)]
