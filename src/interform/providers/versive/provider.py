"""The Versive adapter: studies and their participant interviews (sessions). Endpoints:

- study: `POST /api/v1/studies`, `PUT /api/v1/studies/{id}` (partial). No read, list or
  delete is documented: a study cannot be checked for drift, found again or removed.
- session: `POST /api/v1/interviews`, `GET /api/v1/interviews/{id}`. No list, no delete.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from interform import hints
from interform.model.remote_id import path_segment
from interform.providers.base import (
    Applied,
    BodyProblem,
    DesiredResource,
    KindSpec,
    Lookup,
    Policy,
    Provider,
    RemoteState,
    Removal,
    links,
    make_marker,
    split_metadata_marker,
)
from interform.providers.errors import NotFound, Unsupported
from interform.providers.versive import errors
from interform.providers.versive import render as rendering

if TYPE_CHECKING:
    import httpx

    from interform.lockfile.model import Entry
    from interform.model.definition import Definition
    from interform.providers.http import ParsedError

log = logging.getLogger("interform.providers.versive")

STUDY = KindSpec(
    kind="study",
    label="Versive study",
    session=False,
    updatable=True,
    removal=Removal.FORGET,
    readable=False,
    discoverable=False,
    marker="metadata",
    fields={"config": Policy.UPDATE, "metadata": Policy.UPDATE},
    default_policy=Policy.REPLACE,
    notes=(
        "config and metadata update in place (PUT); any other change makes a new study",
        "no endpoint reads, lists or deletes a study: no drift detection, and removal "
        "forgets it (the study stays in Versive)",
        "questions cannot be sent: Versive edits them only through its AI editor",
    ),
)
SESSION = KindSpec(
    kind="session",
    label="Versive participant interview",
    session=True,
    updatable=False,
    removal=Removal.FORGET,
    readable=True,
    discoverable=False,
    marker="metadata",
    notes=(
        "create-only: any change makes a new participant link",
        "no endpoint lists or deletes interviews: removal forgets it (the link stays valid)",
    ),
)
_STUDIES = "/api/v1/studies"
_INTERVIEWS = "/api/v1/interviews"
_PLACEHOLDER_STUDY = "placeholder-study-id"


class Versive(Provider):
    name = "versive"
    display_name = "Versive"
    default_base_url = "https://api.getversive.com"
    kinds: ClassVar[Mapping[str, KindSpec]] = {"study": STUDY, "session": SESSION}

    # ------------------------------------------------------------------ pure

    @classmethod
    def render(
        cls, defn: Definition, interview: str, target: str, source: str
    ) -> list[DesiredResource]:
        return rendering.render(defn, interview, target, source)

    @classmethod
    def request_problems(
        cls, res: DesiredResource, operation: Literal["create", "update"]
    ) -> list[BodyProblem]:
        from interform.providers import schemas

        if res.kind == "session" and operation == "update":
            return [BodyProblem("", "cannot be updated: any change makes a new interview")]
        name = f"versive.{res.kind}.{operation}.request"
        return schemas.problems(name, _wire(res, operation))

    @classmethod
    def parse_error(cls, response: httpx.Response) -> ParsedError:
        return errors.parse_error(response)

    # ------------------------------------------------------------------ HTTP

    def create(self, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
        if res.kind == "study":
            wire = rendering.study_wire(res.body, marker)
            study = self.http.json("POST", _STUDIES, json=wire, create=True)
            return Applied(self.response_id(study, f"POST {_STUDIES}"))
        study_id = parent_id or res.parent_remote_id
        if not study_id:
            raise ValueError(f"{res.address}: a participant interview needs its study's id")
        wire = rendering.session_wire(res.body, marker, study_id)
        interview = self.http.json("POST", _INTERVIEWS, json=wire, create=True)
        return Applied(self.response_id(interview, f"POST {_INTERVIEWS}"), urls=_links(interview))

    def update(self, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> Applied:
        remote_id = self.remote_id(prior)
        fixed = [name for name in changed if name not in rendering.UPDATABLE]
        if prior.kind != "study" or fixed:
            what = ", ".join(fixed) or "a participant interview"
            raise Unsupported(self.name, f"cannot update {what} in place; plan a replacement")
        wire = rendering.study_update(res.body, changed, prior.marker)
        if wire:
            self.http.json("PUT", _study_path(remote_id), json=wire)
        return Applied(remote_id)

    def remove(self, prior: Entry) -> None:
        # nothing to call: Versive documents no delete; the apply stops tracking it
        log.debug("forgetting %s %s: Versive cannot delete it", prior.kind, prior.remote_id)

    def read(self, prior: Entry) -> RemoteState | None:
        if prior.kind == "study":
            raise Unsupported(self.name, "Versive has no endpoint to read a study")
        try:
            remote = self.http.json("GET", _interview_path(self.remote_id(prior)))
        except NotFound:
            return None
        return self._session_state(remote, prior.request)

    def lookup(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str] = frozenset(),
    ) -> Lookup:
        what, things, placeholder = (
            ("study", "studies", "STUDY_ID")
            if res.kind == "study"
            else ("interview", "interviews", "ID")
        )
        return Lookup(
            complete=False,
            by_marker=True,
            detail=f"Versive has no endpoint to list {things}, so interform cannot tell whether "
            f"the create took effect; if a {what} in Versive has metadata "
            f"interform={marker!r}, run `{hints.command('import', res.address, placeholder)}`",
        )

    def discover(self, kind: str) -> Iterable[RemoteState]:
        if kind not in self.kinds:
            raise ValueError(f"Versive has no kind {kind!r}")
        return ()  # no list endpoint for either kind

    def fetch(
        self, kind: str, remote_id: str, like: Mapping[str, Any] | None = None
    ) -> RemoteState:
        if kind == "session":
            return self._session_state(self.http.json("GET", _interview_path(remote_id)), like)
        if kind != "study":
            raise ValueError(f"Versive has no kind {kind!r}")
        # an empty partial update changes nothing and returns the study: the only
        # documented way to check a study id (404 when it does not exist)
        study = self.http.json("PUT", _study_path(remote_id), json={})
        study_id = self.response_id(study, f"PUT {_STUDIES}/{{id}}")
        _, marker = split_metadata_marker(study.get("metadata"))
        return RemoteState(study_id, rendering.study_from_remote(study), marker=marker)

    # ------------------------------------------------------------------ internals

    def _session_state(self, remote: Any, sent: Mapping[str, Any] | None) -> RemoteState:
        remote_id = self.response_id(remote, f"GET {_INTERVIEWS}/{{id}}")
        _, marker = split_metadata_marker(remote.get("metadata"))
        study_id = remote.get("study_id")
        return RemoteState(
            remote_id,
            rendering.session_from_remote(remote, sent),
            urls=_links(remote),
            marker=marker,
            parent_remote_id=study_id if isinstance(study_id, str) else None,
        )


def _wire(res: DesiredResource, operation: str) -> dict[str, Any]:
    """The body `operation` would send, with stand-ins as long as the injected values."""
    marker = make_marker("0" * 36, res.address)
    if res.kind == "study" and operation == "update":
        return rendering.study_update(res.body, rendering.UPDATABLE, marker)
    if res.kind == "study":
        return rendering.study_wire(res.body, marker)
    study_id = res.parent_remote_id or _PLACEHOLDER_STUDY
    return rendering.session_wire(res.body, marker, study_id)


def _study_path(remote_id: str) -> str:
    return f"{_STUDIES}/{path_segment(remote_id)}"


def _interview_path(remote_id: str) -> str:
    return f"{_INTERVIEWS}/{path_segment(remote_id)}"


def _links(interview: Mapping[str, Any]) -> dict[str, str]:
    return links(interview, link="link")
