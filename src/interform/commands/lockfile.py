"""`interform lockfile merge` (git's merge driver, and `--resolve` for a merge that left
conflict markers) and `interform lockfile setup-git`. The logic lives in
`interform.lockfile.merge`, `interform.lockfile.resolve` and `interform.git`."""

from __future__ import annotations

from pathlib import Path

import click

from interform.errors import UserError


@click.group()
def lockfile() -> None:
    """Merge lockfiles that two branches changed, and set git up to do it."""


@lockfile.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--resolve",
    is_flag=True,
    help="Finish a merge that left conflict markers in the lockfile (the project's, or FILE).",
)
@click.option(
    "--path",
    "name",
    metavar="NAME",
    help="The lockfile's path in the repository, for messages (git passes %P).",
)
def merge(files: tuple[Path, ...], resolve: bool, name: str | None) -> None:
    """Merge two versions of the lockfile object by object. As git's merge driver:
    BASE OURS THEIRS, the result replacing OURS. With --resolve: the lockfile a merge
    left with conflict markers."""
    if resolve:
        if len(files) > 1:
            raise click.UsageError("--resolve takes at most one FILE")
        _resolve(files[0] if files else None)
    elif len(files) != 3:
        raise click.UsageError(
            "give BASE OURS THEIRS (as git's merge driver does), or --resolve [FILE]"
        )
    else:
        _driver(*files, name=name or str(files[1]))


def _driver(base: Path, ours: Path, theirs: Path, name: str) -> None:
    from interform.lockfile.resolve import conflicted, merge_texts, read_version
    from interform.lockfile.store import dumps_lockfile

    base_text, ours_text, theirs_text = (read_version(p, name) for p in (base, ours, theirs))
    try:
        merged = merge_texts(base_text, ours_text, theirs_text, name)
    except BaseException:
        # git reads OURS back as the result: leave it plainly unmerged, never one side
        ours.write_text(conflicted(ours_text, theirs_text), encoding="utf-8")
        raise
    ours.write_text(dumps_lockfile(merged.lock), encoding="utf-8")
    _notes(name, merged.notes)


def _resolve(given: Path | None) -> None:
    from interform import hints
    from interform.atomic import atomic_write
    from interform.lockfile.resolve import conflicted_versions, merge_texts
    from interform.lockfile.store import dumps_lockfile, git_folder

    path = (given or _project_lockfile()).absolute()
    name = _shown(path)
    merged = merge_texts(*conflicted_versions(path, name), name)
    atomic_write(path, dumps_lockfile(merged.lock))
    _notes(name, merged.notes)
    add = hints.git(git_folder(path), "add", path.name)
    count = len(merged.lock.entries)
    click.echo(
        f"{name}: merged both sides ({count} entries); mark it resolved with `{add}`, then "
        "finish the merge"
    )


@lockfile.command("setup-git")
def setup_git() -> None:
    """Make git merge the lockfile with interform in this clone (once per clone; CI too)."""
    from interform import hints
    from interform.git import (
        add_attribute,
        attribute_pattern,
        configure_driver,
        local_attributes,
        routes_to_driver,
        work_tree,
    )

    path = _project_lockfile()
    top = work_tree(path.parent)
    if top is None:
        raise UserError(
            f"{path.parent} is not in a git clone",
            fix="run it in a clone (after `git init` or `git clone`)",
        )
    name = _shown(path)
    done = "configured" if configure_driver(top) else "already configured"
    click.echo(f"git merges {name} with `interform lockfile merge` in this clone ({done})")
    if not routes_to_driver(top, path):
        pattern = attribute_pattern(path, top)
        add_attribute(local_attributes(top), pattern)
        click.echo(
            f".gitattributes does not send {name} to the driver: added `{pattern} merge="
            f"interform` to .git/info/attributes for this clone; run `{hints.command('init')}` "
            "and commit .gitattributes so every clone has it"
        )


def _project_lockfile() -> Path:
    from interform.config import load_project
    from interform.project_root import find_root

    root = find_root()
    return root / load_project(root).lockfile


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working directory if inside."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _notes(name: str, notes: list[str]) -> None:
    for note in notes:
        click.echo(f"{name}: {note}", err=True)
