"""Field types every part of a definition uses: durations, dates, free-form data, slugs,
and `Strict` (unknown keys and loose types refused, as in the published schema). The core
definition and each platform's section (`interform.providers.<name>.settings`) build on
these."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

_DURATION_RE = re.compile(r"^(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")


def parse_duration(value: Any) -> Any:
    """`90`, `"90s"`, `"2m"` and `"1m30s"` all mean a number of seconds."""
    if isinstance(value, str):
        m = _DURATION_RE.match(value)
        if not m or not (m["m"] or m["s"]):
            raise ValueError("must be seconds (90) or a duration such as 90s, 2m or 1m30s")
        return int(m["m"] or 0) * 60 + int(m["s"] or 0)
    return value


Seconds = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                # the look-ahead refuses 0s and 0m0s, which parse to 0 (below the minimum)
                {"type": "string", "pattern": r"^(?=.*[1-9])(\d+m)?(\d+s)?$", "minLength": 2},
            ],
            "description": "Seconds (90) or a duration such as 90s, 2m or 1m30s.",
        }
    ),
    Field(ge=1),
]

# Dates and times: the YAML loader gives date/datetime objects for unquoted ISO values;
# quoted ones are strings. Both are accepted, nothing else (pydantic alone would also take
# Unix timestamps), so the published JSON Schema and the CLI agree.
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?"
_DATE_RE = re.compile(rf"^{_DATE}$")
_ZONE = r"([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)"
_DATETIME_RE = re.compile(rf"^{_DATE}[Tt ]{_TIME}{_ZONE}?$")
_DATE_OR_TIME_RE = re.compile(rf"^{_DATE}([Tt ]{_TIME}{_ZONE}?)?$")


def _iso_date(value: Any) -> Any:
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise ValueError("must be a date such as 2026-11-16")
    if isinstance(value, str) and not _DATE_RE.match(value):
        raise ValueError("must be a date such as 2026-11-16")
    return value


def _iso_datetime(value: Any) -> Any:
    ok = isinstance(value, datetime) or (isinstance(value, str) and _DATETIME_RE.match(value))
    if not ok:
        raise ValueError("must be a date and time such as 2026-05-04T09:30:00+02:00")
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_RE.pattern}),
    Field(strict=False),
]
IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _DATETIME_RE.pattern}),
    Field(strict=False),
]


_DATE_OR_TIME = "must be a date such as 2026-12-31 or a date and time such as 2026-12-31T18:00:00Z"


def _iso_date_or_time(value: Any) -> Any:
    """A real date or date-time, kept as text (platforms that take "ISO date/time"
    strings get it as written; an unquoted YAML value is spelled back in ISO 8601)."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not _DATE_OR_TIME_RE.match(value):
        raise ValueError(_DATE_OR_TIME)
    try:
        date.fromisoformat(value[:10])  # the pattern lets 2026-02-30 through
    except ValueError:
        raise ValueError(f"{_DATE_OR_TIME} (there is no {value[:10]})") from None
    return value


IsoDateOrTime = Annotated[
    str,
    BeforeValidator(_iso_date_or_time),
    WithJsonSchema({"type": "string", "pattern": _DATE_OR_TIME_RE.pattern}),
]


def json_values(value: Any) -> Any:
    """Free-form data travels as JSON: an unquoted YAML date inside it becomes its ISO
    text, so a definition is the same whether it was parsed or read from the cache."""
    if isinstance(value, dict):
        return {k: json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_values(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


FreeForm = Annotated[dict[str, Any], BeforeValidator(json_values)]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
# a question's id doubles as an ATS reference (`ATS-Q1`, `req/4711.2`): any case, and the
# punctuation such references use, but no spaces or control characters (it is printed in
# plans and sent as JobMojito's external_id)
QuestionId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$", max_length=128)]
NonEmpty = Annotated[str, Field(min_length=1)]
Uuid = Annotated[
    str,
    Field(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
]


class Strict(BaseModel):
    """Unknown keys are errors (the loader adds a did-you-mean). Strict types: `"5"` is not
    an integer and `"yes"` is not a boolean, exactly as in the published JSON Schema."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)
