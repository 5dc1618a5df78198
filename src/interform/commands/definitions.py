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
    help="Also write a CI workflow (GitHub Actions: plan on pull requests, apply on main).",
)
def init(ci: str | None) -> None:
    """Create a project in the current directory: interform.yaml, an example definition,
    the JSON schemas and .gitignore. Never overwrites a file."""
    from interform.config.scaffold import init as scaffold

    for rel in scaffold(Path.cwd(), ci):
        click.echo(f"created {rel}")
    from interform import hints

    click.echo(f"next: edit interviews/example.yaml, then run `{hints.command('validate')}`")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check interform.yaml and the definitions (or only PATHS) and report every problem."""
    from interform.config import load_definitions, load_project
    from interform.project_root import find_root

    root = find_root()
    project = load_project(root)
    loaded = load_definitions(root, project, list(paths) or None)
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
    files = formatter.targets(root, _interviews_dir(root), list(paths) or None)
    results, problems = formatter.format_files(root, files)
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
    project whose settings are still being written."""
    from interform.config.source import SourceError, parse_mapping, read_source
    from interform.project_root import PROJECT_FILE

    try:
        data = parse_mapping(read_source(root / PROJECT_FILE, PROJECT_FILE), "settings")
    except SourceError:
        return "interviews"  # fmt reports the project file's own problem
    value = data.get("interviews")
    return value if isinstance(value, str) else "interviews"


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing schemas that differ.")
def schema(check: bool) -> None:
    """Regenerate schemas/*.json from the models (and copy the provider schemas)."""
    from interform.config.published import check_schemas, write_schemas
    from interform.project_root import find_root

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
