"""Fixtures: an emulator per test in its own state directory, reached through
`httpx.MockTransport`, with a clock the test controls."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from interform.providers import schemas
from interform.sandbox import registry
from interform.sandbox.emulator import Emulator
from interform.sandbox.faults import Faults
from interform.sandbox.inprocess import emulator_transport

DATA = Path(__file__).parent / "data"
BASE_URLS = {
    "micro1": "https://public.api.micro1.ai",
    "jobmojito": "https://cool.jobmojito.com/functions/v1",
    "instaview": "https://api.instaview.sk",
    "versive": "https://api.getversive.com",
}
NOW = 1_800_000_000.0  # 2027-01-15, fixed so time rules are deterministic


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def auth(platform: str, key: str) -> dict[str, str]:
    return {"x-api-key": key} if platform == "micro1" else {"Authorization": f"Bearer {key}"}


@pytest.fixture(autouse=True)
def _close_shared() -> Iterator[None]:
    yield
    registry.close_all()


@pytest.fixture
def clock() -> Clock:
    return Clock()


Connect = Callable[..., httpx.Client]


@pytest.fixture
def connect(tmp_path: Path, clock: Clock) -> Iterator[Connect]:
    """connect(platform, key="sandbox-test", faults=Faults()) -> client of a fresh emulator
    (one per platform per test, shared by every client of that platform)."""
    made: dict[str, Emulator] = {}
    clients: list[httpx.Client] = []

    def connect_(
        platform: str, key: str | None = "sandbox-test", faults: Faults | None = None
    ) -> httpx.Client:
        if platform not in made:
            made[platform] = registry.EMULATORS[platform](tmp_path / "state", clock=clock)
        client = httpx.Client(
            transport=emulator_transport(made[platform], faults or Faults()),
            base_url=BASE_URLS[platform],
            headers=auth(platform, key) if key else {},
        )
        clients.append(client)
        return client

    yield connect_
    for client in clients:
        client.close()
    for em in made.values():
        em.close()


def seed(platform: str, name: str) -> dict[str, Any]:
    examples: dict[str, Any] = json.loads((DATA / "seed_examples.json").read_text())
    body: dict[str, Any] = examples[platform][name]
    return body


def schema_errors(name: str, body: Any) -> list[str]:
    return [f"{p.pointer}: {p.message}" for p in schemas.problems(name, body)]
