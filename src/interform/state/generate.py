"""`interform import --generate`: write the definition of an imported object.

Each platform's generator (its registry entry's `generator`, `providers/<platform>/generate.py`)
reverses its request body. The file is
then proven right the way a user would check it: loaded and validated like any
definition (project defaults included) and rendered again, which must give exactly the
body read from the platform — so `interform validate` passes and `interform plan` shows
no change. A file that fails the proof is removed and the import refused.
"""

from __future__ import annotations

import importlib
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from interform import platforms
from interform.errors import Problem, UserError
from interform.model.webhooks import KIND as WEBHOOK

if TYPE_CHECKING:
    from interform.providers.base import DesiredResource, RemoteState
    from interform.state.importing import Subject
    from interform.workspace import Workspace

SCHEMA = "interview.schema.json"


class Generator(Protocol):
    def __call__(
        self, kind: str, body: Mapping[str, Any], target: str, defaults: Mapping[str, Any]
    ) -> dict[str, Any]: ...


def relpath(ws: Workspace, subj: Subject) -> str:
    return f"{ws.project.interviews}/{subj.interview}.yaml"


def check_generate(ws: Workspace, subj: Subject) -> None:
    """Refuse, before any request, a definition that cannot or must not be written."""
    rel = relpath(ws, subj)
    problems = []
    if subj.parsed.session is not None:
        problems.append(
            f"{subj.address} is a session: it is defined inside its interview's file, "
            "not a file of its own — import it without --generate and add it there"
        )
    if subj.kind == WEBHOOK:
        problems.append(
            f"{subj.address} is a webhook: it is declared in interform.yaml under "
            f"targets.{subj.target}.webhooks, not in a file of its own — declare it "
            "there (url, events) and import without --generate"
        )
    elif platforms.get(subj.provider).generator is None:
        problems.append(
            f"--generate cannot write {subj.spec.label} definitions yet — import without "
            "--generate and write the definition by hand"
        )
    existing = [p for p in (rel, rel[: -len(".yaml")] + ".yml") if (ws.root / p).exists()]
    if existing:
        problems.append(f"{existing[0]} already exists — it is never overwritten")
    elif subj.desired is not None:
        problems.append(f"{subj.desired.source} already defines {subj.address}")
    if problems:
        raise UserError([Problem(rel, 0, 0, p) for p in problems])


def write_definition(ws: Workspace, subj: Subject, state: RemoteState) -> DesiredResource:
    """Write the definition (never over an existing file) and return what it renders."""
    module = importlib.import_module(platforms.get(subj.provider).generator or "")
    generator: Generator = module.definition
    data = generator(subj.kind, state.body, subj.target, ws.project.defaults)
    rel = relpath(ws, subj)
    path = ws.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as f:  # "x": refuse to overwrite
        f.write(definition_text(ws.root, path, data, subj, state.remote_id))
    try:
        return _proved(ws, subj, rel, state)
    except BaseException:
        discard(ws, rel)
        raise


def discard(ws: Workspace, rel: str) -> None:
    Path(ws.root / rel).unlink(missing_ok=True)


def definition_text(
    root: Path, path: Path, data: Mapping[str, Any], subj: Subject, remote_id: str
) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import LiteralScalarString

    from interform.config.fmt import WIDTH, canonical
    from interform.schemas import SCHEMAS_DIR

    def blocks(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: blocks(v) for k, v in value.items()}
        if isinstance(value, list):
            return [blocks(v) for v in value]
        if isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)
        return value

    yaml = YAML(typ="rt")
    yaml.width = WIDTH
    out = io.StringIO()
    yaml.dump(blocks(dict(data)), out)
    schema = os.path.relpath(root / SCHEMAS_DIR / SCHEMA, path.parent)
    header = (
        f"# yaml-language-server: $schema={Path(schema).as_posix()}\n"
        f"# Imported from {subj.target} ({subj.spec.label} {remote_id}) "
        "by `interform import --generate`.\n"
    )
    return canonical(header + out.getvalue())


def _proved(ws: Workspace, subj: Subject, rel: str, state: RemoteState) -> DesiredResource:
    """Load the written file like any definition and render it: it must give the body."""
    from interform.config import load_definitions
    from interform.digest import body_digest
    from interform.workspace import render_desired

    loaded = load_definitions(ws.root, ws.project, [ws.root / rel])
    rendered = {r.address: r for r in render_desired(ws.project, loaded)}
    res = rendered.get(subj.address)
    if res is not None and res.digest == body_digest(state.body):
        return res
    body: Mapping[str, Any] = res.body if res is not None else {}
    differ = sorted(k for k in set(body) | set(state.body) if body.get(k) != state.body.get(k))
    raise UserError(
        [
            Problem(
                rel,
                0,
                0,
                f"the definition interform can write for {subj.address} would not render "
                f"what {subj.target} holds (differs in: {', '.join(differ) or '?'})",
                "import without --generate and write the definition by hand",
            )
        ]
    )
