"""The identity type: which remote object something is about, read from its address."""

from __future__ import annotations

import dataclasses
import json

import pytest

from interform.model.identity import Identity

DEFINITION = "eng/backend@iv"
SESSION = "eng/backend@iv#smoke-test"
JOB = "eng/backend@iv#:job"
CANDIDATE = "eng/backend@iv#smoke-test:candidate"


def test_a_definition_resource_has_no_parent() -> None:
    identity = Identity.at(DEFINITION, "instaview", "agent")
    assert identity == Identity(DEFINITION, "eng/backend", "iv", "instaview", "agent", None)
    assert str(identity) == DEFINITION


@pytest.mark.parametrize(
    ("address", "kind"), [(SESSION, "session"), (JOB, "job"), (CANDIDATE, "candidate")]
)
def test_sessions_and_parts_belong_to_their_definition_resource(address: str, kind: str) -> None:
    identity = Identity.at(address, "instaview", kind)
    assert (identity.interview, identity.target) == ("eng/backend", "iv")
    assert identity.parent == DEFINITION
    assert identity.kind == kind
    assert identity.deposed_id is None
    assert identity.live_address == address


def test_a_webhook_is_named_by_its_address_too() -> None:
    identity = Identity.at("webhooks/results/completed@m1", "micro1", "webhook")
    assert (identity.interview, identity.target, identity.parent) == (
        "webhooks/results/completed",
        "m1",
        None,
    )


@pytest.mark.parametrize("address", [DEFINITION, SESSION, JOB, CANDIDATE])
def test_deposed_form_keeps_everything_but_the_address(address: str) -> None:
    live = Identity.at(address, "instaview", "session")
    old = live.deposed("r-1")
    assert old.address == f"{address}~r-1"
    assert (old.live_address, old.deposed_id) == (address, "r-1")
    assert dataclasses.replace(old, address=address) == live
    # read back from its address, a deposed object is the same object
    assert Identity.at(old.address, "instaview", "session") == old
    # deposed again (a second replacement): the newer id, never two suffixes
    assert live.deposed("r-1").deposed("r-2").address == f"{address}~r-2"


@pytest.mark.parametrize("address", [DEFINITION, SESSION, CANDIDATE, f"{JOB}~r-9"])
def test_parsing_and_data_round_trip(address: str) -> None:
    identity = Identity.at(address, "instaview", "job")
    assert Identity.at(str(identity), identity.provider, identity.kind) == identity
    data = {**json.loads(json.dumps(identity.as_data())), "other": 1}
    assert Identity.taken_from(data) == identity
    assert data == {"other": 1}  # what is left is the holder's
    data = {k: v for k, v in identity.as_data().items() if k != "parent"}
    assert Identity.taken_from(data) == dataclasses.replace(identity, parent=None)


@pytest.mark.parametrize("text", ["", "eng/backend", "Eng@iv", "a@t#", "a@t#s#u", "x~r-1"])
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Identity.at(text, "micro1", "interview")


def test_it_is_a_small_immutable_value() -> None:
    identity = Identity.at(SESSION, "versive", "session")
    with pytest.raises(dataclasses.FrozenInstanceError):
        identity.kind = "study"  # type: ignore[misc]
    assert not hasattr(identity, "__dict__")  # slots: built once per desired resource
    assert len({identity, Identity.at(SESSION, "versive", "session")}) == 1
