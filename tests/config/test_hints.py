"""`interform.hints`: suggested commands spelled as the run that prints them was started."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interform import hints


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    hints.reset()
    yield
    hints.reset()


def test_a_plain_run_suggests_plain_commands() -> None:
    assert hints.command("state", "list") == "interform state list"
    assert hints.git(".", "checkout", "--", "interform.lock") == "git checkout -- interform.lock"


def test_dir_and_sandbox_are_repeated_where_the_command_takes_them() -> None:
    hints.invoked_in("my project")
    hints.invoked_in("sub")  # -C given twice: relative to the first
    hints.sandboxed(True)
    assert hints.command("import", "eng/a@iv#s1", "REMOTE_ID") == (
        "interform -C 'my project/sub' import eng/a@iv#s1 REMOTE_ID --sandbox"
    )
    # validate, fmt, schema and sandbox do not take --sandbox
    assert hints.command("sandbox", "reset") == "interform -C 'my project/sub' sandbox reset"
    assert hints.git("state", "checkout", "--", "x.lock") == (
        "git -C 'my project/sub/state' checkout -- x.lock"
    )
    assert hints.git("/abs", "status") == "git -C /abs status"


def test_words_are_quoted_only_when_a_shell_would_misread_them() -> None:
    assert hints.quote("eng/backend@iv#smoke") == "eng/backend@iv#smoke"
    assert hints.quote("eng/a@micro1~0f3c") == "eng/a@micro1~0f3c"
    assert hints.quote("--target=eng/*") == "'--target=eng/*'"
    assert hints.quote("#start") == "'#start'"
    assert hints.quote("it's") == "'it'\"'\"'s'"
