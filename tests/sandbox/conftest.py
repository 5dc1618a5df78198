"""Fixtures: an emulator per test in its own state directory, reached through
`httpx.MockTransport`, with a clock the test controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from interform.sandbox import registry
from interform.sandbox.emulator import Emulator
from interform.sandbox.faults import Faults
from interform.sandbox.inprocess import emulator_transport

from .support import BASE_URLS, Clock, Connect, auth


@pytest.fixture(autouse=True)
def _close_shared() -> Iterator[None]:
    yield
    registry.close_all()


@pytest.fixture
def clock() -> Clock:
    return Clock()


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
            made[platform] = registry.emulator_class(platform)(tmp_path / "state", clock=clock)
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
