"""CHANGELOG.md keeps the Keep a Changelog layout, has a section for the version
interform says it is, and every `interform ...` command its Unreleased section names is
one the CLI accepts (released sections describe the commands of their day)."""

from __future__ import annotations

import re

from interform import __version__

from .commands import check_invocation, interform_invocations
from .support import ROOT

CHANGELOG = ROOT / "CHANGELOG.md"
RELEASE = re.compile(r"^\[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d\d-\d\d$")
KINDS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")


def sections() -> list[tuple[str, str]]:
    """(heading, text) of each `## ` section, in file order."""
    parts = re.split(r"^## (.+)$", CHANGELOG.read_text(encoding="utf-8"), flags=re.M)
    assert parts[0].startswith("# Changelog\n"), "the file starts with its title"
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_unreleased_comes_first_then_releases_newest_first() -> None:
    headings = [heading for heading, _ in sections()]
    assert headings[0] == "[Unreleased]"
    released = [RELEASE.match(heading) for heading in headings[1:]]
    assert all(released), f"a release heading is `[X.Y.Z] - YYYY-MM-DD`: {headings}"
    versions = [tuple(int(n) for n in m.groups()) for m in released if m]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)


def test_each_section_groups_its_entries_by_the_six_kinds() -> None:
    for heading, text in sections():
        kinds = re.findall(r"^### (.+)$", text, re.M)
        assert kinds, f"{heading}: no `### Added` (or another kind) heading"
        assert set(kinds) <= set(KINDS), (heading, kinds)
        assert len(kinds) == len(set(kinds)), f"{heading}: a kind given twice"
        for kind, entries in zip(kinds, re.split(r"^### .+$", text, flags=re.M)[1:], strict=True):
            assert re.search(r"^- \S", entries, re.M), f"{heading} / {kind}: no entry"


def test_the_running_version_has_its_section() -> None:
    """Raising `interform.__version__` for a release means writing its section."""
    released = {heading.split(" - ")[0] for heading, _ in sections()}
    assert f"[{__version__}]" in released


def test_commands_named_in_unreleased_exist() -> None:
    _, unreleased = sections()[0]
    spans = re.findall(r"`(interform [^`]+)`", unreleased)
    assert spans, "the section names no command: this test would check nothing"
    for span in spans:
        for words in interform_invocations(span):
            assert check_invocation(words) is None, (span, check_invocation(words))
