"""Where faults meet a request: shared by the in-process transport and the HTTP server,
so both ways in behave the same for the same faults and seed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from urllib.parse import urlencode

from interform.sandbox.emulator import Emulator
from interform.sandbox.faults import Injector, Outcome
from interform.sandbox.wire import Request, Response


class Action(str, Enum):
    RESPOND = "respond"  # send the response
    RESET = "reset"  # cut the connection without an answer
    TIMEOUT = "timeout"  # never answer


def admit(
    emulator: Emulator,
    injector: Injector,
    request: Request,
    sleep: Callable[[float], object],
) -> tuple[Action, Response | None]:
    """Run one request through the faults and the emulator."""
    path = emulator.relative(request.path)
    query = urlencode(sorted(request.query.items()))
    decision = injector.decide(emulator.platform, request.method, path, query, request.body)
    if decision.delay:
        sleep(decision.delay)
    outcome = decision.outcome
    if outcome is Outcome.ERROR:
        return Action.RESPOND, emulator.fault(decision.status)
    if outcome is Outcome.RATE429:
        return Action.RESPOND, emulator.throttled(injector.faults.retry_after)
    if outcome is Outcome.RESET:
        return Action.RESET, None
    if outcome is Outcome.TIMEOUT:
        return Action.TIMEOUT, None
    paging = injector.faults.paging
    listing = bool(paging) and emulator.is_listing(request)
    if listing and paging == "stuck":
        request = replace(request, query=emulator.first_page(request.query))
    response = emulator.handle(request, rate_limit=injector.faults.rate_limit)
    if listing and response.status == 200:
        emulator.promise_more(response.body)
    if outcome is Outcome.COMMIT_DROP:
        if decision.drop == "error":
            return Action.RESPOND, emulator.fault(502)
        return (Action.RESET if decision.drop == "reset" else Action.TIMEOUT), None
    return Action.RESPOND, response
