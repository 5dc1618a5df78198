"""The address module: every way interform takes an address apart or puts one together."""

from __future__ import annotations

import pytest

from interform.model.address import (
    Address,
    definition_address,
    deposed_address,
    is_deposed,
    is_part,
    is_resource_address,
    is_session,
    owned_by,
    part_address,
    rebased,
    resource_address,
    split_deposed,
    undeposed,
    with_interview,
)

DEFINITION = "eng/backend@iv"
SESSION = "eng/backend@iv#smoke-test"
JOB = "eng/backend@iv#:job"
CANDIDATE = "eng/backend@iv#smoke-test:candidate"
ALL = [DEFINITION, SESSION, JOB, CANDIDATE]


def test_printing_and_parsing_round_trip() -> None:
    assert resource_address("eng/backend", "iv") == DEFINITION
    assert resource_address("eng/backend", "iv", "smoke-test") == SESSION
    assert part_address(DEFINITION, "job") == JOB
    assert part_address(SESSION, "candidate") == CANDIDATE
    for address in ALL:
        assert str(Address.parse(address)) == address
    assert Address.parse(SESSION).parent == Address("eng/backend", "iv")


@pytest.mark.parametrize("text", ["eng/backend", "Eng@iv", "a@t#s~r-1", "a@t#s:job:x", ""])
def test_what_is_not_an_address(text: str) -> None:
    assert not is_resource_address(text)
    with pytest.raises(ValueError, match="is not an address"):
        Address.parse(text)


@pytest.mark.parametrize("address", ALL)
def test_deposed_form_round_trips(address: str) -> None:
    # a remote id may itself hold `~`, `@` and `:`; only the first `~` separates
    deposed = deposed_address(address, "r~1@x:y")
    assert deposed == f"{address}~r~1@x:y"
    assert is_deposed(deposed) and not is_deposed(address)
    assert split_deposed(deposed) == (address, "r~1@x:y")
    assert split_deposed(address) == (address, None)
    assert undeposed(deposed) == undeposed(address) == address
    assert is_resource_address(address) and not is_resource_address(deposed)


def test_an_empty_deposed_id_is_still_the_deposed_form() -> None:
    assert split_deposed("a@t~") == ("a@t", "")


@pytest.mark.parametrize("address", ALL)
def test_definition_address_of_everything_a_definition_owns(address: str) -> None:
    assert definition_address(address) == DEFINITION
    assert definition_address(deposed_address(address, "r:1")) == DEFINITION


@pytest.mark.parametrize(
    ("address", "session", "part"),
    [
        (DEFINITION, False, False),
        (SESSION, True, False),
        (JOB, False, True),
        (CANDIDATE, False, True),
    ],
)
def test_kinds_of_address_deposed_or_not(address: str, session: bool, part: bool) -> None:
    for form in (address, deposed_address(address, "r:1")):
        assert (is_session(form), is_part(form)) == (session, part)


def test_ownership_and_moves() -> None:
    for address in (SESSION, JOB, CANDIDATE, deposed_address(SESSION, "r-1")):
        assert owned_by(address, DEFINITION)
        assert rebased(address, DEFINITION, "ops/new@iv").startswith("ops/new@iv#")
    assert not owned_by(DEFINITION, DEFINITION)
    assert not owned_by(deposed_address(DEFINITION, "r-1"), DEFINITION)
    assert not owned_by("eng/backend-2@iv#s", "eng/backend")
    assert rebased(deposed_address(DEFINITION, "r-1"), DEFINITION, "x@iv") == "x@iv~r-1"
    assert with_interview(CANDIDATE, "ops/new") == "ops/new@iv#smoke-test:candidate"
    assert with_interview(DEFINITION, "x") == "x@iv"
