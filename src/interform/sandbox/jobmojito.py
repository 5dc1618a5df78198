"""JobMojito emulator (`https://cool.jobmojito.com/functions/v1`, `Authorization: Bearer`).

Interviews are stored under the column names `job-interview-get` returns
(`interview_location`, `interview_description_long`, `result_scoring`,
`creation_parameters`); welcome/thank-you/instructional steps and the embed key are kept
beside them and never returned by get. Removal is soft: `deleted` and `archived`
interviews stay readable and listable with that status.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from typing import Any

from interform.model import languages
from interform.providers.base import BodyProblem
from interform.sandbox import jobmojito_questions as questions
from interform.sandbox.emulator import Call, Emulator, Route, Summary, is_uuid, iso, new_id
from interform.sandbox.store import Obj
from interform.sandbox.wire import Reject, Request, Response, dotted, pointer_path

KIND = "interview"
SANDBOX_TOKEN = "sandbox-"

# the two avatar templates every sandbox merchant has (docs/platform-conventions.md)
TEMPLATES: dict[str, tuple[str, str]] = {
    "46b98d37-1557-4391-beca-03037ead19f2": ("interactive_heygen", "Sandbox interactive avatar"),
    "0f5e3c1a-8d2b-4e6f-9a7c-3b1d5e7f9a20": ("offline_heygen", "Sandbox offline avatar"),
}
# the knowledge-base store every sandbox merchant has (knowledge_base_store_id)
KNOWLEDGE_BASES = ("7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f",)
TEMPLATE_EPOCH = 1767225600.0  # 2026-01-01: when the sandbox templates "were created"

SPEECH = {
    "ar": "ar-SA", "bg": "bg-BG", "zh": "zh-CN", "hr": "hr-HR", "cs": "cs-CZ", "da": "da-DK",
    "nl": "nl-NL", "en": "en-US", "fil": "fil-PH", "fi": "fi-FI", "fr": "fr-FR", "de": "de-DE",
    "el": "el-GR", "hi": "hi-IN", "hu": "hu-HU", "id": "id-ID", "it": "it-IT", "ja": "ja-JP",
    "ko": "ko-KR", "ms": "ms-MY", "no": "nb-NO", "pl": "pl-PL", "pt": "pt-PT", "br": "pt-BR",
    "ro": "ro-RO", "ru": "ru-RU", "sk": "sk-SK", "es": "es-ES", "sv": "sv-SE", "ta": "ta-IN",
    "th": "th-TH", "tr": "tr-TR", "uk": "uk-UA", "vi": "vi-VN",
}  # fmt: skip
TONES = ("relaxed", "simple", "professional", "persuasive")
STATUSES = ("draft", "active", "archived", "deleted", "preparing", "completed")

# request field -> stored column, where they differ
RENAMED = {"location": "interview_location", "description_long": "interview_description_long"}
CREATION_PARAMETERS = ("interview_type", "interview_tone", "seniority_level", "hiring_for_company")
STEP_FIELDS = (
    "welcome_message",
    "thank_you_message",
    "instructional_video",
    "instructional_video_custom_text",
)
BLANK_IS_NULL = ("code", "location", "interview_department", "interview_salary")
NOT_COLUMNS = frozenset(
    {
        "questions",
        "interview_attempts",
        "custom_scoring",
        "additional_context",
        "disable_deduplication",
        "is_embedded",
        "merchant_id",
        "position_id",
        "regenerate_candidate_expectations",
        *CREATION_PARAMETERS,
        *STEP_FIELDS,
    }
)
COLUMNS_READ = (
    "name", "status", "visibility", "type", "code", "interview_location", "cover_image_url",
    "merchant_id", "interview_template_id", "knowledge_base_store_id", "mojito_language_code",
    "recording", "recording_full_session", "type_credit", "result_view",
    "candidate_video_introduction", "description", "interview_description_long",
    "candidate_expectations", "candidate_expectations_json", "result_scoring",
    "creation_parameters", "interview_department", "interview_salary",
    "interview_available_till", "recruiter_profile_id", "tags", "coach_plan",
    "interview_conversation_speed", "max_followups", "max_duration", "questions_random_subset",
    "required_pronunciation", "result_enable_edit_transcript", "pdf_export_auto_config",
)  # fmt: skip


SUB_MERCHANT_COUNT = 2  # every sandbox merchant administers this many sub-merchants


def merchant_of(account: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"interform-sandbox:jobmojito:{account}"))


def sub_merchants_of(account: str) -> list[str]:
    """The sub-merchants the account's token administers (create's `merchant_id`)."""
    return [merchant_of(f"{account}:sub-{n}") for n in range(1, SUB_MERCHANT_COUNT + 1)]


class JobMojito(Emulator):
    platform = "jobmojito"
    base_paths = ("/functions/v1",)
    paging_parameter = "offset"

    def routes(self) -> list[Route]:
        return [
            Route(
                "POST",
                "/job-interview-create-from-array",
                self.create,
                "jobmojito.interview.create.request",
            ),
            Route("GET", "/job-interview-get", self.get),
            Route(
                "POST", "/job-interview-update", self.update, "jobmojito.interview.update.request"
            ),
            Route(
                "POST",
                "/job-interview-set-state",
                self.set_state,
                "jobmojito.interview.set-state.request",
            ),
            Route("GET", "/merchant-interview-list", self.list_interviews),
            Route("GET", "/merchant-avatar-list", self.avatars),
            Route("GET", "/merchant-sub-merchant-list", self.sub_merchants),
        ]

    # ------------------------------------------------------------------ envelope

    def credential(self, request: Request) -> str:
        if "authorization" not in request.headers:
            raise self.reject(401, "Missing authorization header")
        token = request.bearer()
        if token is None:
            raise self.reject(401, "Invalid JWT")
        if token.startswith(SANDBOX_TOKEN) and len(token) > len(SANDBOX_TOKEN):
            return token
        claims = _jwt_claims(token)
        if claims is None:
            raise self.reject(401, "Invalid JWT")
        expires = claims.get("exp")
        if isinstance(expires, (int, float)) and expires < self.clock():
            raise self.reject(401, "JWT expired")
        return token

    def error(self, status: int, message: str, *, name: str | None = None) -> Response:
        body = {"error": message}
        if name:
            body["name"] = name
        return Response(status, body)

    def invalid(self, problems: list[BodyProblem]) -> Response:
        text = "; ".join(f"{dotted(p.pointer)} {p.message}" for p in problems)
        first = pointer_path(problems[0].pointer)
        return self.error(422, text, name=str(first[0]) if first else None)

    def bad_json(self) -> Response:
        return self.error(422, "request body must be a JSON object")

    def no_route(self, request: Request, path: str, known_path: bool) -> Response:
        if known_path:
            return self.error(405, "Method not allowed")
        return self.error(404, "Requested function was not found")

    def promise_more(self, body: Any) -> None:
        pagination = body.get("pagination") if isinstance(body, dict) else None
        if isinstance(pagination, dict):
            pagination["has_more"] = True

    def summarize(self, kind: str, obj: Obj) -> Summary:
        return Summary(obj["name"] or "", obj["status"], {})

    # ------------------------------------------------------------------ create

    def create(self, call: Call) -> Response:
        body: Obj = call.body
        merchant = self._merchant(call, body.get("merchant_id"), 500)
        if body["interview_template_id"] not in TEMPLATES:
            raise self.reject(500, "interview template not found", "interview_template_id")
        if body.get("knowledge_base_store_id") not in (None, *KNOWLEDGE_BASES):
            raise self.reject(500, "knowledge base store not found", "knowledge_base_store_id")
        stored_questions = self._questions(lambda: questions.create(body["questions"]))
        oid, stamp = new_id(), iso(call.now)
        record: Obj = {column: None for column in COLUMNS_READ}
        record.update(self._columns(body))
        record.update(
            id=oid,
            merchant_id=merchant,
            type_credit=_type_credit(body["type"]),
            required_pronunciation=body.get("required_pronunciation") or False,
            result_enable_edit_transcript=_default(body, "result_enable_edit_transcript", True),
            result_scoring=_scoring(None, body),
            creation_parameters=_creation_parameters(
                {"additional_context": body.get("additional_context")}, body
            ),
            questions=stored_questions,
            steps=_steps(body),
            embed=_embed() if body.get("is_embedded") else None,
            created_at=stamp,
            updated_at=stamp,
        )
        if record["candidate_expectations_json"] is None and body["type"] == "interview":
            record["candidate_expectations_json"] = _rubric(stored_questions)
        call.account.put(KIND, oid, record)
        answer: Obj = {"interview_def_set_id": oid}
        if record["embed"]:
            answer.update(record["embed"])
        return Response(200, answer)

    # ------------------------------------------------------------------ read

    def get(self, call: Call) -> Response:
        record = self._existing(call, call.query("position_id"), 404)
        return Response(200, _definition(record))

    def list_interviews(self, call: Call) -> Response:
        limit, offset = self._paging(call)
        wanted_type = call.query("type") or "interview"
        status = call.query("status")
        if status is not None and status not in STATUSES:
            raise self.reject(422, f"status must be one of {', '.join(STATUSES)}", "status")
        text = (call.query("filter_text") or "").lower()
        merchant = self._merchant(call, call.query("merchant_id"), 403)
        found = [
            r
            for r in call.account.all(KIND)
            if r["merchant_id"] == merchant
            and r["type"] == wanted_type
            and (status is None or r["status"] == status)
            and text in (r["name"] or "").lower()
        ]
        ordered = sorted(enumerate(found), key=lambda p: (p[1]["updated_at"], p[0]), reverse=True)
        page = [_listed(r) for _, r in ordered[offset : offset + limit]]
        return Response(
            200, {"data": page, "pagination": _pagination(len(found), limit, offset, len(page))}
        )

    def avatars(self, call: Call) -> Response:
        limit, offset = self._paging(call)
        merchant = merchant_of(call.account.name)
        kind, text = call.query("type"), (call.query("filter_text") or "").lower()
        items = [
            _avatar(tid, merchant)
            for tid, (ttype, name) in TEMPLATES.items()
            if (kind is None or ttype == kind) and text in name.lower()
        ]
        page = items[offset : offset + limit]
        return Response(
            200, {"data": page, "pagination": _pagination(len(items), limit, offset, len(page))}
        )

    def sub_merchants(self, call: Call) -> Response:
        limit, offset = self._paging(call)
        items = [
            _sub_merchant(mid, n) for n, mid in enumerate(sub_merchants_of(call.account.name), 1)
        ]
        page = items[offset : offset + limit]
        return Response(
            200, {"data": page, "pagination": _pagination(len(items), limit, offset, len(page))}
        )

    # ------------------------------------------------------------------ update

    def update(self, call: Call) -> Response:
        body: Obj = call.body
        record = dict(self._existing(call, body["position_id"], 404))
        template = body.get("interview_template_id")
        if template is not None and template not in TEMPLATES:
            raise self.reject(422, "interview template not found", "interview_template_id")
        if body.get("knowledge_base_store_id") not in (None, *KNOWLEDGE_BASES):
            raise self.reject(422, "knowledge base store not found", "knowledge_base_store_id")
        answer: Obj = {"position_id": record["id"], "is_multistage": False}
        answer["questions_diff"] = (
            self._update_questions(record, body) if "questions" in body else None
        )
        updated = self._update_columns(record, body)
        if answer["questions_diff"] is None:
            del answer["questions_diff"]
        else:
            updated.append("questions")
        answer["updated_fields"] = list(dict.fromkeys(updated))
        record["updated_at"] = iso(call.now)
        call.account.put(KIND, record["id"], record)
        return Response(200, answer)

    def _update_columns(self, record: Obj, body: Obj) -> list[str]:
        updated = []
        status = body.get("status")
        if status is not None and status != record["status"]:
            updated.append("status")
        columns = self._columns(body)
        if "type" in body and "type_credit" not in body:
            columns["type_credit"] = _type_credit(body["type"])
        record.update(columns)
        updated += [c for c in columns if c != "status"]
        if "interview_attempts" in body or "custom_scoring" in body:
            record["result_scoring"] = _scoring(record["result_scoring"], body)
            updated.append("result_scoring")
        if any(name in body for name in CREATION_PARAMETERS):
            record["creation_parameters"] = _creation_parameters(
                record["creation_parameters"], body
            )
            updated.append("creation_parameters")
        return updated

    def _update_questions(self, record: Obj, body: Obj) -> Obj:
        before: list[Obj] = record["questions"]
        diff = self._questions(lambda: questions.apply(before, body["questions"]))
        changed = diff.changed(before)
        template_type = TEMPLATES[record["interview_template_id"]][0]
        if changed and record["status"] == "active" and template_type.startswith("offline_"):
            raise self.reject(
                422,
                "questions of an active interview on an offline avatar template cannot change: "
                "set its status to draft first",
                "questions",
            )
        record["questions"] = diff.questions
        regenerate = body.get("regenerate_candidate_expectations") and record["type"] == "interview"
        if regenerate and "candidate_expectations_json" not in body:
            record["candidate_expectations_json"] = _rubric(diff.questions)
        return {
            "kept": diff.kept,
            "added": diff.added,
            "removed": diff.removed,
            "replaced": diff.replaced,
            "question_ids": _step_ids(record),
            "reactivated": changed and (body.get("status") or record["status"]) == "active",
        }

    def set_state(self, call: Call) -> Response:
        body: Obj = call.body
        stored = call.account.get(KIND, body["position_id"])
        if stored is None:
            # the spec words unresolved ids on this endpoint as a server error
            raise self.reject(500, "interview not found", "position_id")
        record = dict(stored)
        if body.get("status") is not None:
            record["status"] = body["status"]
        embedded = body.get("is_embedded")
        if embedded is True and not record["embed"]:
            record["embed"] = _embed()
        elif embedded is False:
            record["embed"] = None
        record["updated_at"] = iso(call.now)
        call.account.put(KIND, record["id"], record)
        if embedded is True:
            return Response(200, dict(record["embed"]))
        return Response(200, {"success": True})

    # ------------------------------------------------------------------ helpers

    def _existing(self, call: Call, oid: Any, status: int) -> Obj:
        if not oid:
            raise self.reject(422, "position_id is required", "position_id")
        if not is_uuid(oid):
            raise self.reject(422, "position_id must be a uuid", "position_id")
        record = call.account.get(KIND, str(oid))
        if record is None:
            raise self.reject(status, "interview not found", "position_id")
        return record

    def _merchant(self, call: Call, wanted: Any, status: int) -> str:
        """The merchant a request acts for: the token's, or one of its sub-merchants (the
        spec words a create for another merchant as a server error, a list as 403)."""
        own = merchant_of(call.account.name)
        if wanted is None or wanted == own:
            return own
        if wanted not in sub_merchants_of(call.account.name):
            raise self.reject(status, "not authorized for this merchant", "merchant_id")
        return str(wanted)

    def _paging(self, call: Call) -> tuple[int, int]:
        limit_raw, offset_raw = call.query("limit") or "50", call.query("offset") or "0"
        if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= 1000:
            raise self.reject(422, "limit must be an integer between 1 and 1000", "limit")
        if not offset_raw.isdigit():
            raise self.reject(422, "offset must be a non-negative integer", "offset")
        return int(limit_raw), int(offset_raw)

    def _columns(self, body: Obj) -> Obj:
        columns = {}
        for name, value in body.items():
            if name in NOT_COLUMNS:
                continue
            if name in BLANK_IS_NULL and isinstance(value, str) and not value.strip():
                value = None
            columns[RENAMED.get(name, name)] = value
        return columns

    def _questions(self, build: Any) -> Any:
        try:
            return build()
        except questions.QuestionError as err:
            raise Reject(self.error(422, str(err), name="questions")) from None


# ---------------------------------------------------------------------- shapes


def _jwt_claims(token: str) -> dict[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _default(body: Obj, name: str, default: Any) -> Any:
    value = body.get(name)
    return default if value is None else value


def _type_credit(kind: str) -> str | None:
    return "interview_coach_manager" if kind == "coaching" else None


def _scoring(current: Obj | None, body: Obj) -> Obj | None:
    if body.get("interview_attempts") is None and body.get("custom_scoring") is None:
        return current
    scoring = {**(current or {}), **(body.get("custom_scoring") or {})}
    if body.get("interview_attempts") is not None:
        scoring["max_retries"] = body["interview_attempts"]
    return scoring


def _creation_parameters(current: Obj | None, body: Obj) -> Obj:
    params = {"interview_tone": "relaxed", **(current or {})}
    for name in CREATION_PARAMETERS:
        if name in body:
            params[name] = body[name]
    tone = params.get("interview_tone")
    # case-insensitive; unknown tones fall back to the default, as documented
    params["interview_tone"] = (
        tone.lower() if isinstance(tone, str) and tone.lower() in TONES else "relaxed"
    )
    return params


def _steps(body: Obj) -> Obj:
    steps: Obj = {name: body.get(name) for name in STEP_FIELDS}
    steps["ids"] = {
        "welcome": new_id(),
        "instructional": new_id() if body.get("instructional_video") else None,
        "thank_you": new_id(),
    }
    return steps


def _step_ids(record: Obj) -> list[str]:
    ids = record["steps"]["ids"]
    head = [i for i in (ids["welcome"], ids["instructional"]) if i]
    return [*head, *(q["id"] for q in record["questions"]), ids["thank_you"]]


def _embed() -> Obj:
    return {"embed_id": new_id(), "embed_signing_key": secrets.token_hex(32)}


def _rubric(stored: list[Obj]) -> Obj:
    """Stand-in for the rubric JobMojito generates from the questions."""
    texts = [q["question"] for q in stored]
    return {
        "weak": [f"Answers: {t}" for t in texts[:3]],
        "moderate": [f"Answers with a concrete example: {t}" for t in texts[:3]],
        "strong": ["Answers every question with evidence and trade-offs"],
    }


def _definition(record: Obj) -> Obj:
    template_type = TEMPLATES.get(record["interview_template_id"] or "", (None, ""))[0]
    language = record["mojito_language_code"]
    user_code = languages.from_platform(language, "jobmojito") if language else None
    out = {name: record[name] for name in COLUMNS_READ}
    out.update(
        created_at=record["created_at"],
        updated_at=record["updated_at"],
        calc_definition_json={"steps": _step_ids(record)},
        questions=[dict(q) for q in record["questions"]],
        is_multistage=False,
        stage=None,
        slug=None,
        interview_template_type=template_type,
        is_voice_only=None if template_type is None else template_type == "interactive_elevenlabs",
        speech_language_code=SPEECH.get(language),
        speech_language_name=languages.name_of(user_code) if user_code else None,
    )
    return out


def _listed(record: Obj) -> Obj:
    template_type = TEMPLATES.get(record["interview_template_id"] or "", (None, ""))[0]
    durations = [q.get("duration") or 0 for q in record["questions"]]
    return {
        "id": record["id"],
        "merchant_id": record["merchant_id"],
        "name": record["name"],
        "emoji": None,
        "type": record["type"],
        "type_avatar": template_type,
        "status": record["status"],
        "visibility": record["visibility"],
        "mojito_language_code": record["mojito_language_code"],
        "speech_language_code": SPEECH.get(record["mojito_language_code"]),
        "environment": "production",
        "is_ats": False,
        "is_multi_stage": False,
        "recording": record["recording"],
        "recording_full_session": record["recording_full_session"],
        "billing_single_position": False,
        "billing_single_position_end_at": None,
        "cover_image_url": record["cover_image_url"],
        "interview_count": 0,
        "interview_last": None,
        "calc_duration": sum(durations),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def _sub_merchant(mid: str, n: int) -> Obj:
    return {
        "id": mid,
        "name": f"Sandbox sub-merchant {n}",
        "status": "active",
        "contact_person": None,
        "contact_email": None,
        "interview_count": 0,
    }


def _avatar(tid: str, merchant: str) -> Obj:
    ttype, name = TEMPLATES[tid]
    stamp = iso(TEMPLATE_EPOCH)
    return {
        "id": tid,
        "merchant_id": merchant,
        "name": name,
        "type": ttype,
        "status": "active",
        "visibility": "merchant_public",
        "mojito_language_code": "en",
        "video_voice_language_name": "English (United States)",
        "media_url": None,
        "background_url": None,
        "background_blur": None,
        "video_background_remove": False,
        "video_avatar_image_url": None,
        "video_avatar_aspect_ratio": "16:9",
        "created_at": stamp,
        "updated_at": stamp,
    }


def _pagination(total: int, limit: int, offset: int, returned: int) -> Obj:
    return {"total": total, "limit": limit, "offset": offset, "has_more": offset + returned < total}
