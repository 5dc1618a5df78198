"""`company_id` in interform.yaml: the company an Instaview ATS key acts for, refused
on platforms whose keys name no company, and accepted by an apply against the sandbox."""

from __future__ import annotations

from pathlib import Path

from project_files import FOUR_TARGETS, INLINE_JOB, SMOKE_SESSION, backend, run, write_project


def with_company(target: str, company: str) -> str:
    """FOUR_TARGETS with `company_id` under `target`."""
    line = f"  {target}:\n"
    assert line in FOUR_TARGETS
    return FOUR_TARGETS.replace(line, f"{line}    company_id: {company}\n", 1)


def test_company_id_on_a_platform_without_company_scoped_keys_is_refused(
    tmp_path: Path,
) -> None:
    write_project(tmp_path, with_company("micro1", "acme"), {})
    result = run(tmp_path, "validate")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "interform.yaml:4:5: micro1 keys do not name a company: company_id is not sent"
        " — remove company_id (only Instaview ATS keys need it)"
    ]


def test_a_company_id_that_is_not_one_url_segment_is_refused(tmp_path: Path) -> None:
    write_project(tmp_path, with_company("iv", '"../other?x="'), {})
    result = run(tmp_path, "validate")
    assert result.exit_code == 1
    assert "interform.yaml:8:17: targets.iv.company_id must be text matching" in result.output


def test_an_instaview_target_with_a_company_applies_and_destroys(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        with_company("iv", "acme-42"),
        {"eng/backend": backend(INLINE_JOB + SMOKE_SESSION)},
    )
    for command in ("apply", "destroy"):
        result = run(tmp_path, command, "--sandbox", "--auto-approve")
        assert result.exit_code == 0, result.output
    assert "No changes" not in result.output
