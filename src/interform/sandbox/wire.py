"""Requests and responses as the emulators see them, independent of httpx and http.server,
so one emulator serves both ways in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without query string, percent-decoded
    query: Mapping[str, str]  # the last value of each parameter
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""

    @property
    def mutating(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def bearer(self) -> str | None:
        """The token of `Authorization: Bearer <token>`; None when absent or malformed."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or any(c.isspace() for c in token):
            return None
        return token


@dataclass
class Response:
    status: int
    body: Any = None  # a JSON value; None with `text` None means an empty body
    headers: dict[str, str] = field(default_factory=dict)
    text: str | None = None  # a non-JSON body (e.g. a gateway's HTML error page)

    def content(self) -> bytes:
        if self.text is not None:
            return self.text.encode()
        if self.body is None:
            return b""
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode()

    def content_type(self) -> str:
        return "text/html; charset=utf-8" if self.text is not None else JSON_TYPE


class Reject(Exception):
    """Raised inside an emulator to answer at once with `response`."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def gateway_error(status: int) -> Response:
    """A 502/503 as a load balancer in front of any platform answers: HTML, not JSON."""
    reason = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}[status]
    page = (
        f"<html><head><title>{status} {reason}</title></head><body><h1>{reason}</h1></body></html>"
    )
    return Response(status, text=page)


def pointer_path(pointer: str) -> list[str | int]:
    """`/custom_question_list/0/time` -> ["custom_question_list", 0, "time"]."""
    parts: list[str | int] = []
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return parts


def dotted(pointer: str) -> str:
    """`/custom_question_list/0/time` -> `custom_question_list[0].time` (as APIs word it)."""
    text = ""
    for part in pointer_path(pointer):
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "body"
