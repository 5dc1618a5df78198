"""Commands about the definitions themselves: init, validate, fmt, schema.

Heavy imports (pydantic, ruamel.yaml) happen inside the command bodies.
"""

from __future__ import annotations

from pathlib import Path

import click

from interform.errors import Problem, UserError


@click.command()
@click.option(
    "--ci",
    type=click.Choice(["github"]),
    help="Also write the CI workflows (GitHub Actions: plan on pull requests, apply on the "
    "default branch).",
)
def init(ci: str | None) -> None:
    """Create a project in the current directory, or add to the one there what it needs in
    git and CI. A new project gets interform.yaml, an example definition, the JSON schemas,
    .gitignore and .gitattributes; an existing one only the files it lacks. Inside a git
    clone, also configures the lockfile's merge driver. Never overwrites a file."""
    from interform.scaffold import init as scaffold

    for line in scaffold(Path.cwd(), ci):
        click.echo(line)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check interform.yaml and the definitions (or only PATHS) and report every problem."""
    from interform.config import load_definitions, load_project
    from interform.project_root import find_root
    from interform.workspace import SANDBOX_LOCKFILE, recorded_requests

    root = find_root()
    project = load_project(root)
    # sessions either lockfile records as created are judged as they were sent
    applied = recorded_requests([root / project.lockfile, root / SANDBOX_LOCKFILE])
    loaded = load_definitions(root, project, list(paths) or None, applied=applied)
    noun = "definition" if len(loaded) == 1 else "definitions"
    click.echo(f"{len(loaded)} {noun} valid")


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing files not formatted.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def fmt(check: bool, paths: tuple[Path, ...]) -> None:
    """Rewrite interform.yaml and the definitions (or only PATHS) in the canonical layout."""
    from interform.config import fmt as formatter
    from interform.project_root import find_root

    root = find_root()
    files, refused = formatter.targets(root, _interviews_dir(root), list(paths) or None)
    results, problems = formatter.format_files(root, files)
    problems += refused
    changed = [r for r in results if r.changed]
    if check:
        from interform import hints

        fmt_hint = hints.command("fmt")
        problems += [
            Problem(r.rel, r.first_difference(), 1, "not formatted", f"run `{fmt_hint}`")
            for r in changed
        ]
    else:
        for result in changed:
            formatter.write(result)
            click.echo(result.rel)
    if problems:
        raise UserError(problems)


def _interviews_dir(root: Path) -> str:
    """`interviews:` from interform.yaml without validating the rest: fmt must work on a
    project whose settings are still being written (fmt reports the file's own problem)."""
    from interform.config.source import unchecked_settings

    value = unchecked_settings(root).get("interviews")
    return value if isinstance(value, str) else "interviews"


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing schemas that differ.")
def schema(check: bool) -> None:
    """Regenerate schemas/*.json from the models (and copy the provider schemas)."""
    from interform.project_root import find_root
    from interform.published import check_schemas, write_schemas

    root = find_root()
    if check:
        stale = check_schemas(root)
        if stale:
            raise UserError(stale)
        click.echo("schemas up to date")
        return
    done = write_schemas(root)
    for line in done:
        click.echo(line)
    if not done:
        click.echo("schemas up to date")
