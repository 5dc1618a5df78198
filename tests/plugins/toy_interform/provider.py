"""The toy's adapter: one kind, `interview`, updated in place (PUT) and deleted."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from interform.model import languages
from interform.model.definition import section
from interform.model.remote_id import path_segment
from interform.providers.base import (
    Applied,
    BodyProblem,
    DesiredResource,
    KindSpec,
    Lookup,
    Placement,
    Provider,
    RemoteState,
    Removal,
    links,
)
from interform.providers.errors import NotFound

if TYPE_CHECKING:
    from interform.lockfile.model import Entry
    from interform.model.definition import Definition

INTERVIEW = KindSpec(
    kind="interview",
    label="Toy interview",
    session=False,
    updatable=True,
    removal=Removal.DELETE,
    readable=True,
    discoverable=False,
    marker=None,
)
_FIELDS = ("name", "language", "greeting", "mood", "questions")


class Toy(Provider):
    name = "toy"
    display_name = "Toy"
    default_base_url = "https://api.toy.example"
    kinds: ClassVar[Mapping[str, KindSpec]] = {"interview": INTERVIEW}

    @classmethod
    def render(
        cls, defn: Definition, interview: str, target: str, source: str
    ) -> list[DesiredResource]:
        settings = section(defn, "toy")
        body = {
            "name": defn.title,
            "language": languages.to_platform(defn.language, "toy"),
            "greeting": settings.greeting,
            "mood": settings.mood,
            "questions": [q.text for q in defn.questions],
        }
        origins = {"/name": ("title",), "/language": ("language",), "/questions": ("questions",)}
        placement = Placement(defn, interview, target, source, cls.name)
        return [placement.resource("interview", body, origins=origins)]

    @classmethod
    def request_problems(
        cls, res: DesiredResource, operation: Literal["create", "update"]
    ) -> list[BodyProblem]:
        return [] if res.body.get("name") else [BodyProblem("/name", "is required")]

    def create(self, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
        made = self.http.json("POST", "/interviews", json=dict(res.body), create=True)
        return Applied(self.response_id(made, "POST /interviews"), urls=links(made, link="link"))

    def update(self, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> Applied:
        remote_id = self.remote_id(prior)
        self.http.json("PUT", _path(remote_id), json=dict(res.body))
        return Applied(remote_id)

    def remove(self, prior: Entry) -> None:
        try:
            self.http.request("DELETE", _path(self.remote_id(prior)))
        except NotFound:
            return  # already gone: what removing it wanted

    def read(self, prior: Entry) -> RemoteState | None:
        try:
            return self.fetch(prior.kind, self.remote_id(prior))
        except NotFound:
            return None

    def lookup(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str] = frozenset(),
    ) -> Lookup:
        return Lookup(complete=False, detail="the toy cannot list its interviews")

    def discover(self, kind: str) -> Iterable[RemoteState]:
        return ()

    def fetch(
        self, kind: str, remote_id: str, like: Mapping[str, Any] | None = None
    ) -> RemoteState:
        found = self.http.json("GET", _path(remote_id))
        body = {name: found.get(name) for name in _FIELDS}
        return RemoteState(
            self.response_id(found, "GET /interviews/{id}"), body, links(found, link="link")
        )


def _path(remote_id: str) -> str:
    return f"/interviews/{path_segment(remote_id)}"
