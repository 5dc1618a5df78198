"""Finding definition files, naming them, and what load_definitions returns."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from interform.config.loader import suggest_address
from interform.config.source import MAX_BYTES

from .config_helpers import load, make_project, problems

OK = "title: T\ntargets: [micro1]\n"


def test_definitions_come_back_sorted_with_address_path_and_digest(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "interviews/z.yaml": OK,
            "interviews/eng/backend-senior.yml": OK.replace("T", "Backend"),
            "interviews/eng/a/b.c.yaml": OK,
        },
    )
    loaded = load(tmp_path)
    assert [(d.address, d.path) for d in loaded] == [
        ("eng/a/b.c", "interviews/eng/a/b.c.yaml"),
        ("eng/backend-senior", "interviews/eng/backend-senior.yml"),
        ("z", "interviews/z.yaml"),
    ]
    raw = (tmp_path / "interviews/eng/backend-senior.yml").read_bytes()
    assert loaded[1].digest == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert loaded[1].definition.title == "Backend"


def test_other_extensions_are_not_definitions(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "interviews/a.yaml": OK,
            "interviews/notes.md": "# notes",
            "interviews/c.json": "{}",
            "interviews/.hidden-notes/readme.md": "# no definitions here",
        },
    )
    assert [d.address for d in load(tmp_path)] == ["a"]


def test_hidden_definitions_are_refused_not_skipped(tmp_path: Path) -> None:
    """Skipped, they would be planned for removal: a hidden file or directory holding
    definitions is an error naming it."""
    make_project(
        tmp_path,
        {
            "interviews/a.yaml": OK,
            "interviews/.draft.yaml": "not: [valid",
            "interviews/.wip/b.yaml": "not: [valid",
        },
    )
    fix = "rename it without the leading dot, or move it out of the definitions directory"
    assert problems(tmp_path) == [
        f"interviews/.draft.yaml: is a hidden file: interform reads no hidden file — {fix}",
        "interviews/.wip: is a hidden directory holding definitions (interviews/.wip/b.yaml): "
        f"interform reads no hidden directory — {fix}",
    ]


def test_paths_select_files_and_directories(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "interviews/a.yaml": OK,
            "interviews/eng/b.yaml": OK,
            "interviews/eng/c.yaml": OK,
            "interviews/broken.yaml": "title: [",
        },
    )
    interviews = tmp_path / "interviews"
    selected = load(tmp_path, [interviews / "eng", interviews / "a.yaml", interviews / "eng"])
    assert [d.address for d in selected] == ["a", "eng/b", "eng/c"]


def test_paths_outside_the_definitions_directory_are_refused(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": OK, "other/x.yaml": OK})
    assert problems(tmp_path, [tmp_path / "other/x.yaml", tmp_path / "interviews/nope.yaml"]) == [
        f"{tmp_path / 'interviews/nope.yaml'}: no such definition file — pass a .yaml file",
        f"{tmp_path / 'other/x.yaml'}: not under interviews/ — pass a definition",
    ]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "interviews/a.yaml": "title: A\ntargets: [micro1, nope]\nlanguage: xx\n",
            "interviews/b.yaml": "title: [\n",
            "interviews/c.yaml": OK,
            "interviews/d.yaml": "targets: [micro1]\nfoo: 1\n",
        },
    )
    assert problems(tmp_path) == [
        'interviews/a.yaml:2:19: target "nope" is not defined in interform.yaml — defined '
        "targets: instaview, jobmojito, micro1, versive",
        'interviews/a.yaml:3:11: unknown language code "xx" — use a language code such as en',
        "interviews/b.yaml:2:1: YAML syntax error: did not find expected node content — the "
        "file ends inside an unclosed [ ], { } or quote: close it",
        'interviews/d.yaml:1:1: title is required — add "title:"',
        'interviews/d.yaml:2:1: unknown key "foo" — allowed keys: description, ignore_changes, '
        "instaview, jobmojito, language, micro1, moved_from, protect, questions, skills, targets, "
        "title, versive",
    ]


def test_invalid_file_names_suggest_a_valid_address(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/Sales Team/SDR Screen (v2).yaml": OK})
    assert problems(tmp_path) == [
        'interviews/Sales Team/SDR Screen (v2).yaml:1:1: "Sales Team/SDR Screen (v2)" is not a '
        "valid definition address — rename the file to interviews/sales-team/sdr-screen-v2.yaml "
        '(lower-case letters, digits, ".", "_", "-")'
    ]


@pytest.mark.parametrize(
    ("address", "suggestion"),
    [("Backend", "backend"), ("_draft", "draft"), ("a b/C--d", "a-b/c--d"), ("???", "interview")],
)
def test_suggested_addresses(address: str, suggestion: str) -> None:
    assert suggest_address(address) == suggestion


def test_the_same_address_twice_names_both_files(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/a.yaml": OK, "interviews/a.yml": OK})
    assert problems(tmp_path) == [
        'interviews/a.yml:1:1: address "a" is also defined by interviews/a.yaml — keep one of '
        "the two files"
    ]


def test_a_missing_definitions_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "interform.yaml").write_text("targets: {}\n")
    assert problems(tmp_path) == [
        'interform.yaml:1:1: the definitions directory "interviews" does not exist — create '
        "it, or set interviews: to the directory holding the definitions"
    ]


def test_huge_files_are_refused_before_parsing(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    (tmp_path / "interviews/huge.yaml").write_bytes(b"#" * (MAX_BYTES + 1))
    assert problems(tmp_path) == [
        "interviews/huge.yaml:1:1: file is 1,048,577 bytes, more than the 1,048,576 allowed — "
        "split it: one interview per file"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    make_project(tmp_path, {"interviews/ok.yaml": "title: Ok\ntargets: [micro1]\n"})
    os.mkfifo(tmp_path / "interviews/pipe.yaml")  # opening it to read would wait forever
    assert problems(tmp_path) == [
        "interviews/pipe.yaml:1:1: not a regular file — replace it with a YAML file or remove it"
    ]


def test_bad_utf8_is_reported_at_its_byte(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    (tmp_path / "interviews/a.yaml").write_bytes(
        "title: Café\ntargets: [micro1]\ndescription: ok é \xff\n".encode("latin-1")
    )
    assert problems(tmp_path) == [
        "interviews/a.yaml:1:11: byte 0xe9 is not valid UTF-8 — save the file as UTF-8"
    ]
    (tmp_path / "interviews/a.yaml").write_bytes(
        b"title: Caf\xc3\xa9\ntargets: [micro1]\ndescription: na\xc3\xafve \xff\n"
    )
    assert problems(tmp_path) == [
        "interviews/a.yaml:3:20: byte 0xff is not valid UTF-8 — save the file as UTF-8"
    ]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    (tmp_path / "interviews/a.yaml").write_bytes(b"\xef\xbb\xbf" + OK.encode())
    assert [d.definition.title for d in load(tmp_path)] == ["T"]


def test_problems_from_defaults_say_so(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"interviews/a.yaml": "title: A\ntargets: [iv]\nquestions: [{text: Hi}]\n"},
        project="targets:\n  iv:\n    provider: instaview\ndefaults:\n  language: da\n",
    )
    assert problems(tmp_path) == [
        'interviews/a.yaml:1:1: language "da" (Danish) is not supported by Instaview (target iv) '
        "(set by defaults in interform.yaml) — supported there: de"
    ]


def test_unknown_keys_deep_inside_lists_point_at_the_key(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "interviews/a.yaml": (
                "title: A\n"
                "targets: [instaview]\n"
                "questions:\n"
                "  - text: Why?\n"
                "instaview:\n"
                "  sessions:\n"
                "    - name: one\n"
                "      candidate_id: 123e4567-e89b-12d3-a456-426614174000\n"
                "      sheduled: tomorrow\n"
            )
        },
    )
    assert problems(tmp_path) == [
        'interviews/a.yaml:9:7: unknown key "sheduled" in instaview.sessions[0] — did you mean '
        '"schedule_time"?'
    ]
