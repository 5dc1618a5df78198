"""Generated documentation: the definition and project references follow the published
schemas, the platform pages' capability tables follow the providers' `KindSpec`s."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from interform.docgen import BEGIN, END, expected_pages, outdated
from interform.docgen.capabilities import capability_table
from interform.docgen.schema_md import render_reference
from interform.errors import UserError
from interform.platforms import names as platform_names
from interform.providers.base import KindSpec, Policy, Removal
from interform.providers.registry import provider_class

from .support import ROOT


def test_generated_pages_are_up_to_date() -> None:
    stale = [str(p.relative_to(ROOT)) for p in outdated(ROOT)]
    assert not stale, f"run `python -m interform.docgen`: {stale} out of date"


def copy_of_repo(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path


def test_a_schema_change_makes_the_reference_stale(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    path = root / "schemas" / "interview.schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["title"]["description"] = "A new description."
    path.write_text(json.dumps(schema))
    assert outdated(root) == [root / "docs" / "reference" / "definition.md"]
    assert "A new description." in expected_pages(root)[outdated(root)[0]]


def test_an_edited_capability_table_is_stale_and_hand_written_prose_is_kept(
    tmp_path: Path,
) -> None:
    root = copy_of_repo(tmp_path)
    page = root / "docs" / "platforms" / "versive.md"
    text = page.read_text()
    page.write_text(text.replace("| removal | forgotten", "| removal | deleted", 1) + "\nmore\n")
    assert outdated(root) == [page]
    regenerated = expected_pages(root)[page]
    assert "| removal | forgotten" in regenerated and regenerated.endswith("\nmore\n")


def test_the_language_table_follows_the_renderers_table(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    page = root / "docs" / "platforms" / "micro1.md"
    assert "| `zh-CN` | `zh-CN` | Chinese (China) |" in page.read_text()
    page.write_text(page.read_text().replace("| `zh-CN` | `zh-CN` |", "| `zh-CN` | `cn` |"))
    assert outdated(root) == [page]
    assert "| `zh-CN` | `zh-CN` |" in expected_pages(root)[page]


def test_a_page_without_the_markers_is_refused(tmp_path: Path) -> None:
    root = copy_of_repo(tmp_path)
    page = root / "docs" / "platforms" / "micro1.md"
    page.write_text("# micro1\n")
    with pytest.raises(UserError, match="no capability block"):
        expected_pages(root)


@pytest.mark.parametrize("name", platform_names())
def test_platform_page_states_what_each_kind_declares(name: str) -> None:
    # read the committed page as a reader would, independently of the generator
    text = (ROOT / "docs" / "platforms" / f"{name}.md").read_text()
    block = text[text.index(BEGIN) : text.index(END)]
    rows = {
        cells[0]: cells[1:]
        for line in block.splitlines()
        if line.startswith("| ") and (cells := [c.strip() for c in line.strip("|").split(" | ")])
    }
    for column, spec in enumerate(provider_class(name).kinds.values()):
        assert f"(`{spec.kind}`)" in rows[""][column]
        assert rows["read back (drift, `--refresh`)"][column] == ("yes" if spec.readable else "no")
        removal = rows["removal"][column]
        assert removal.startswith(
            {"delete": "deleted", "soft-delete": "marked deleted", "archive": "archived"}.get(
                spec.removal.value, "forgotten"
            )
        )
        if not spec.updatable:
            assert rows["updates in place"][column] == "nothing (create-only)"
        for field, policy in spec.fields.items():
            if policy is Policy.REPLACE:
                assert f"`{field}`" in rows["forces replacement"][column]


def test_definition_reference_documents_every_key_of_every_section() -> None:
    schema = json.loads((ROOT / "schemas" / "interview.schema.json").read_text())
    text = (ROOT / "docs" / "reference" / "definition.md").read_text()
    sections = {"": text.split("\n## ")[0]}
    sections |= {s.split("\n", 1)[0]: s for s in text.split("\n## ")[1:]}
    for name, node in [("", schema), *schema["$defs"].items()]:
        for key in node.get("properties", {}):
            assert f"| `{key}` |" in sections[name], (name, key)


def test_reference_renders_types_links_defaults_and_escapes_pipes() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "required": ["mode"],
        "properties": {
            "mode": {"enum": ["a", "b"], "type": "string", "default": "a"},
            "item": {"anyOf": [{"$ref": "#/$defs/Item"}, {"type": "null"}], "default": None},
            "code": {"type": "string", "pattern": "^(x|y)$"},
        },
        "$defs": {
            "Item": {"description": "An item.", "properties": {"n": {"type": "integer"}}},
            "Unused": {"properties": {"z": {"type": "string"}}},
        },
    }
    text = render_reference(schema, "T", "Intro.")
    assert '| `mode` | `"a"` \\| `"b"` | yes | `"a"` |' in text
    assert "| `item` | [Item](#item) |  |  |" in text
    assert "Matches `^(x\\|y)$`" in text
    assert "## Item\n\nAn item." in text and "Unused" not in text


def test_capability_table_of_a_partly_updatable_kind() -> None:
    spec = KindSpec(
        kind="thing",
        label="Thing",
        session=False,
        updatable=True,
        removal=Removal.ARCHIVE,
        readable=False,
        discoverable=True,
        marker=None,
        fields={"locale": Policy.REPLACE, "secret": Policy.IGNORE},
        notes=("a note",),
    )
    rows = dict(
        (line.split(" | ")[0].strip("| "), line.split(" | ")[1].strip(" |"))
        for line in capability_table([spec]).splitlines()
        if line.startswith("| ") and " | " in line
    )
    assert rows["updates in place"] == "every field except those listed below"
    assert rows["forces replacement"] == "`locale`"
    assert rows["not compared"] == "`secret`"
    assert rows["removal"] == "archived on the platform"
    assert rows["rediscovered by `interform refresh`"] == "no"  # no marker to look for
    assert re.search(r"^- a note$", capability_table([spec]), re.M)
