"""JobMojito (`https://cool.jobmojito.com/functions/v1`, `Authorization: Bearer <JWT>`):
one kind, `interview`. Endpoints used:

- create `POST /job-interview-create-from-array` (the ownership marker one of the `tags`;
  older versions put it in `code`, which the team may now use for its own reference);
- read `GET /job-interview-get?position_id=`;
- update `POST /job-interview-update` (partial; questions as the complete list, matched
  on `external_id`), with `POST /job-interview-set-state` around it (draft, then back)
  when the questions of an active interview on an offline avatar template change;
- remove, embed on/off and the embed key: `POST /job-interview-set-state`;
- find, discover: `GET /merchant-interview-list` (limit/offset; `merchant_id` for a
  sub-merchant's, which `GET /merchant-sub-merchant-list` names), then a get per item
  (list items carry no `code` or `tags`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from interform import hints, secrets
from interform.model.definition import section
from interform.providers import schemas
from interform.providers.base import (
    Applied,
    BodyProblem,
    DesiredResource,
    KindSpec,
    LazyOrigins,
    Lookup,
    Match,
    Placement,
    Policy,
    Provider,
    RemoteState,
    Removal,
    links,
    make_marker,
)
from interform.providers.errors import (
    AuthError,
    NotFound,
    ProviderError,
    ServerError,
    Unsupported,
)
from interform.providers.jobmojito import errors, readback, render
from interform.providers.jobmojito.listing import SUB_MERCHANTS, list_all
from interform.providers.jobmojito.settings import JobMojitoSettings

if TYPE_CHECKING:
    import httpx

    from interform.lockfile.model import Entry
    from interform.model.definition import Definition
    from interform.providers.http import ParsedError

log = logging.getLogger("interform.providers.jobmojito")

CREATE = "/job-interview-create-from-array"
GET = "/job-interview-get"
UPDATE = "/job-interview-update"
SET_STATE = "/job-interview-set-state"
PRODUCT_TYPES = ("interview", "coaching", "assessment")  # the list shows one type at a time
SIGNING_KEY = render.SIGNING_KEY
# stand-ins for what apply injects, as long as the real values
PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000"
_PLACEHOLDER_PROJECT = "0" * 36

INTERVIEW = KindSpec(
    kind="interview",
    label="JobMojito interview",
    session=False,
    updatable=True,
    removal=Removal.SOFT_DELETE,
    readable=True,
    discoverable=True,
    marker=render.MARKER_FIELD,
    fields={
        **{name: Policy.REPLACE for name in render.REPLACE_FIELDS},
        **{name: Policy.IGNORE for name in render.CREATE_ONLY},
    },
    questions_field="questions",
    question_id_key="external_id",
    question_text_key="question",
    notes=(
        "updated in place with job-interview-update (only the changed fields); questions "
        "are matched on external_id, so an unchanged question keeps its record and video",
        "the language, welcome and thank-you messages, the instructional video and the "
        "sub-merchant (merchant_id) cannot change: a change creates a new interview",
        "additional_context and disable_deduplication are used only at creation: a change "
        "is recorded, not sent",
        "question changes on an active interview with an offline (pre-rendered) avatar go "
        "draft → update → active; changed questions regenerate the candidate rubric",
        "removal sets the status to deleted (or archived with removal: archived); an "
        "interview deleted in the dashboard counts as gone",
        "result_view, interview_attempts and custom_scoring cannot be cleared once set: "
        "removing them from the definition keeps JobMojito's value (custom_scoring is "
        "merged, so a removed key keeps its value too)",
        "candidate_expectations_json removed from the definition: the rubric is generated "
        "again from the questions (type interview) or cleared; one JobMojito generated is "
        "not compared",
        "the ownership marker is a tag (`interform:<project>:<address>`), so `code` is free "
        "for an ATS reference; interviews whose `code` holds the marker (older versions) "
        "are still found, and get the tag when their tags or code next change",
        "embed signing keys are never recorded: written to jobmojito.embed.signing_key_file "
        "or fetched again with `interform embed-key`",
    ),
    # its API gives an interview no public link: a candidate's link is made when they are
    # invited (one-time, signed), so apply names the interview instead
    links="JobMojito makes each candidate's link when you invite them to this interview",
)


class JobMojito(Provider):
    name = "jobmojito"
    display_name = "JobMojito"
    default_base_url = "https://cool.jobmojito.com/functions/v1"
    kinds: ClassVar[Mapping[str, KindSpec]] = {"interview": INTERVIEW}

    # ------------------------------------------------------------------ pure

    @classmethod
    def parse_error(cls, response: httpx.Response) -> ParsedError:
        return errors.parse_error(response)

    @classmethod
    def render(
        cls, defn: Definition, interview: str, target: str, source: str
    ) -> list[DesiredResource]:
        settings: JobMojitoSettings = section(defn, render.PLATFORM)
        place = Placement(defn, interview, target, source, cls.name)
        resource = place.resource(
            "interview",
            render.interview_body(defn),
            removal=Removal.ARCHIVE if settings.removal == "archived" else None,
            origins=LazyOrigins(partial(render.origins, defn)),
            notes=render.notes(defn),
            note_fields=render.field_notes(defn),
            sinks=render.sinks(defn),
        )
        return [resource]

    @classmethod
    def request_problems(
        cls, res: DesiredResource, operation: Literal["create", "update"]
    ) -> list[BodyProblem]:
        marker = make_marker(_PLACEHOLDER_PROJECT, res.address)
        if operation == "create":
            wire = render.create_wire(res.body, marker)
        else:
            wire = render.update_wire(res.body, PLACEHOLDER_ID, marker=marker)
        found = set(schemas.problems(f"jobmojito.interview.{operation}.request", wire))
        found |= {BodyProblem(p, m) for p, m in render.parent_problems(res.body)}
        return sorted(found, key=lambda p: (p.pointer, p.message))

    # ------------------------------------------------------------------ HTTP

    def create(self, res: DesiredResource, marker: str, parent_id: str | None) -> Applied:
        wire = render.create_wire(res.body, marker)
        answer = self.http.json("POST", CREATE, json=wire, create=True)
        # no id (or a malformed one) after a yes: the interview may well exist
        applied = Applied(self.response_id(answer, CREATE, "interview_def_set_id"))
        _take_embed(answer, applied)
        return applied

    def update(self, res: DesiredResource, prior: Entry, changed: Sequence[str]) -> Applied:
        remote_id = self.remote_id(prior)
        forced = [name for name in changed if name in render.REPLACE_FIELDS]
        if forced:
            raise Unsupported(
                self.name, f"{', '.join(forced)} cannot change in place; plan a replacement"
            )
        applied = Applied(remote_id, urls=dict(prior.urls), private=dict(prior.private))
        wire = render.update_wire(res.body, remote_id, list(changed), prior.marker)
        if len(wire) > 1:
            self._send_update(wire)
        if render.EMBED_FIELD in changed:
            self._set_embedding(remote_id, res.body.get(render.EMBED_FIELD) is True, applied)
        return applied

    def remove(self, prior: Entry) -> None:
        status = "archived" if prior.removal == Removal.ARCHIVE.value else "deleted"
        try:
            self._set_state(self.remote_id(prior), status=status)
        except NotFound:
            log.debug("interview %s was already gone", prior.remote_id)

    def read(self, prior: Entry) -> RemoteState | None:
        got = self._get_or_none(self.remote_id(prior))
        if got is None or got.get("status") == "deleted":
            return None
        return _state(self.remote_id(prior), got, prior.request)

    def lookup(
        self,
        res: DesiredResource,
        marker: str,
        parent_id: str | None,
        exclude: Collection[str] = frozenset(),
    ) -> Lookup:
        params = {
            "filter_text": res.body.get("name"),
            "type": res.body.get("type"),
            "merchant_id": res.body.get("merchant_id"),
        }
        items, complete = list_all(self.http, {k: v for k, v in params.items() if v})
        # the body sent stands in for what get never returns (welcome message, embed)
        marked = self._marked(items, exclude, sent=res.body)
        matches = tuple(
            Match(state, created) for state, created in marked if state.marker == marker
        )
        detail = (
            ""
            if complete
            else "the list of interviews could not be read to the end; if the interview "
            f"exists, run `{hints.command('import', res.address, 'ID')}`"
        )
        return Lookup(matches, complete=complete, by_marker=True, detail=detail)

    def discover(self, kind: str) -> Iterable[RemoteState]:
        _check_kind(kind)
        found: list[RemoteState] = []
        for merchant in (None, *self._sub_merchants()):
            for product in PRODUCT_TYPES:
                params = {"type": product, "merchant_id": merchant}
                items, _ = list_all(self.http, {k: v for k, v in params.items() if v})
                found += [state for state, _ in self._marked(items, frozenset())]
        return found

    def fetch(
        self, kind: str, remote_id: str, like: Mapping[str, Any] | None = None
    ) -> RemoteState:
        """`like` stands in for what job-interview-get never returns (the welcome and
        thank-you messages, the instructional video, whether it is embedded)."""
        _check_kind(kind)
        return _state(remote_id, self._get(remote_id), like)

    def embed_key(self, prior: Entry) -> Applied:
        """Turn embedding on (a no-op when it is) and return the embed id and the signing
        key, for `interform embed-key`. The key is only ever in `Applied.secrets`."""
        applied = Applied(self.remote_id(prior), urls=dict(prior.urls))
        self._set_embedding(applied.remote_id, True, applied)
        return applied

    # ------------------------------------------------------------------ internals

    def _sub_merchants(self) -> list[str]:
        """The sub-merchants this token administers (none for a plain merchant token,
        which the endpoint refuses, or a deployment without the endpoint)."""
        try:
            items, _ = list_all(self.http, path=SUB_MERCHANTS)
        except (AuthError, NotFound) as err:
            log.debug("no sub-merchants listed: %s", err.describe())
            return []
        return [str(item["id"]) for item in items]

    def _get(self, remote_id: str) -> dict[str, Any]:
        got = self.http.json("GET", GET, params={"position_id": remote_id})
        if not isinstance(got, dict):
            raise ServerError(self.name, f"GET {GET}: unexpected answer for {remote_id}")
        if got.get("is_multistage"):
            raise Unsupported(self.name, f"{remote_id} is a multi-stage position, not an interview")
        return got

    def _get_or_none(self, remote_id: str) -> dict[str, Any] | None:
        try:
            return self._get(remote_id)
        except NotFound:
            return None

    def _marked(
        self,
        items: list[dict[str, Any]],
        exclude: Collection[str],
        sent: Mapping[str, Any] | None = None,
    ) -> list[tuple[RemoteState, str | None]]:
        """Listed, live, untracked interviews that carry an interform marker, each with
        its creation time."""
        states = []
        for item in items:
            remote_id = str(item["id"])
            if remote_id in exclude or item.get("status") == "deleted":
                continue
            got = self._get_or_none(remote_id)
            if got is not None and readback.marker_of(got) is not None:
                states.append((_state(remote_id, got, sent), got.get("created_at")))
        return states

    def _send_update(self, wire: dict[str, Any]) -> None:
        """One job-interview-update; JobMojito refuses question changes on an active
        interview whose avatar is pre-rendered, so those go draft → update → active."""
        remote_id = wire["position_id"]
        if "questions" in wire:
            current = self._get(remote_id)
            template = str(current.get("interview_template_type") or "")
            if template.startswith("offline_") and current.get("status") == "active":
                self._update_as_draft(wire)
                return
        self.http.json("POST", UPDATE, json=wire)

    def _update_as_draft(self, wire: dict[str, Any]) -> None:
        remote_id = wire["position_id"]
        final = wire.pop("status", "active")
        self._set_state(remote_id, status="draft")
        try:
            self.http.json("POST", UPDATE, json=wire)
        except ProviderError:
            try:  # the old questions are still there: put them back live
                self._set_state(remote_id, status="active")
            except ProviderError as err:
                log.warning("interview %s was left in draft: %s", remote_id, err.describe())
            raise
        if final != "draft":
            self._set_state(remote_id, status=final)

    def _set_embedding(self, remote_id: str, enabled: bool, applied: Applied) -> None:
        answer = self._set_state(remote_id, is_embedded=enabled)
        if not enabled:
            applied.urls.pop("embed_id", None)
            return
        if not _take_embed(answer, applied):
            raise ServerError(self.name, f"{SET_STATE} turned embedding on but sent no key")

    def _set_state(self, remote_id: str, **fields: Any) -> Any:
        return self.http.json("POST", SET_STATE, json={"position_id": remote_id, **fields})


def _take_embed(answer: Any, applied: Applied) -> bool:
    """Record the embed id; keep the signing key in `secrets` only (and never print it)."""
    if not isinstance(answer, Mapping):
        return False
    key = answer.get(SIGNING_KEY)
    applied.urls.update(links(answer, embed_id="embed_id"))
    if isinstance(key, str) and key:
        secrets.register(key)
        applied.secrets[SIGNING_KEY] = key
        return True
    return False


def _state(remote_id: str, got: Mapping[str, Any], prior: Mapping[str, Any] | None) -> RemoteState:
    return RemoteState(
        remote_id=remote_id,
        body=readback.normalise(got, prior),
        marker=readback.marker_of(got),
    )


def _check_kind(kind: str) -> None:
    if kind != "interview":
        raise ProviderError("jobmojito", f"JobMojito has no kind {kind!r}; it manages: interview")
