"""Secrets a platform returns go to the sink file the definition names (0600), and
nowhere else."""

from __future__ import annotations

import stat
from pathlib import Path

from interform.apply.sinks import write_sinks
from interform.model.identity import Identity
from interform.providers.base import Applied, DesiredResource
from interform.secrets import scrub

KEY = "sk_live_0123456789abcdef"


def resource(**sinks: str) -> DesiredResource:
    return DesiredResource(
        Identity.at("support/screen@jobmojito", "jobmojito", "interview"),
        body={"name": "x"},
        source="interviews/support/screen.yaml",
        sinks=sinks,
    )


def test_a_secret_goes_to_its_sink_with_mode_0600(tmp_path: Path) -> None:
    res = resource(embed_signing_key="secrets/embed.key")
    notes = write_sinks(str(tmp_path), res, Applied("id1", secrets={"embed_signing_key": KEY}))
    path = tmp_path / "secrets" / "embed.key"
    assert path.read_text() == KEY + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert notes == ["embed_signing_key written to secrets/embed.key (mode 0600)"]
    assert KEY not in " ".join(notes)
    assert scrub(f"key={KEY}") == "key=****"


def test_a_secret_without_a_sink_is_dropped_and_says_how_to_get_it(tmp_path: Path) -> None:
    notes = write_sinks(
        str(tmp_path), resource(), Applied("id1", secrets={"embed_signing_key": KEY})
    )
    assert list(tmp_path.iterdir()) == []
    assert notes == [
        "the platform returned embed_signing_key; it is not stored "
        "(fetch it with `interform embed-key support/screen@jobmojito`)"
    ]
