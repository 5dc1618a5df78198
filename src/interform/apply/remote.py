"""The platforms as the planner sees them: remote state of tracked objects (drift, the
convergence check after apply) and what became of interrupted creates.

Reads fan out over a thread pool; each adapter keeps to its target's own concurrency
and rate limits. An entry whose kind cannot be read back is left out, as the
`RemoteReader` protocol says.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from interform import waiting
from interform.errors import Problem, UserError

if TYPE_CHECKING:
    from interform.apply.connect import Connections
    from interform.lockfile.model import Entry
    from interform.plan.matching import Attempt
    from interform.providers.base import DesiredResource, Found, Lookup, RemoteState
    from interform.workspace import PendingCreate, Workspace

DEFAULT_WORKERS = 8
# seconds a platform may still take to finish a create after its client gave up waiting
SETTLE_MARGIN = 5.0
T = TypeVar("T")


class PlatformReader:
    """A `RemoteReader` over live connections (or the sandbox)."""

    def __init__(
        self,
        connections: Connections,
        tracked: Mapping[str, Entry] | None = None,
        workers: int = DEFAULT_WORKERS,
        *,
        wait: bool = False,
        notice: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = waiting.sleep,
    ) -> None:
        self.connections = connections
        # every remote id the lockfile tracks: never the object an interrupted create made
        self.tracked = dict(tracked or {})
        self.workers = max(1, workers)
        self.wait = wait  # apply and refresh wait for recent attempts to settle; plan does not
        self.notice = notice
        self.clock = clock
        self.sleep = sleep

    def read(self, entries: Mapping[str, Entry]) -> Mapping[str, RemoteState | None]:
        states, failures = self.try_read(entries)
        if failures:
            raise UserError(
                [
                    Problem("", 0, 0, f"{address}: cannot read it back: {why}", _READ_FIX)
                    for address, why in sorted(failures.items())
                ]
            )
        return states

    def try_read(
        self, entries: Mapping[str, Entry]
    ) -> tuple[dict[str, RemoteState | None], dict[str, str]]:
        """(states by address, failure message by address) of the readable entries."""
        from interform.providers.errors import ProviderError
        from interform.providers.registry import kind_spec

        readable = {
            a: e
            for a, e in entries.items()
            if e.remote_id and kind_spec(e.provider, e.kind).readable
        }
        self.connections.check({e.target for e in readable.values()})
        states: dict[str, RemoteState | None] = {}
        failures: dict[str, str] = {}

        def one(batch: dict[str, Entry]) -> None:
            target = next(iter(batch.values())).target
            try:
                states.update(self.connections[target].read_many(batch))
            except ProviderError as err:
                failures.update(dict.fromkeys(batch, err.describe()))

        fan_out(one, self._batches(readable), self.workers)
        return states, failures

    def _batches(self, readable: Mapping[str, Entry]) -> list[dict[str, Entry]]:
        """One batch per target whose adapter reads many at once, else one per entry (the
        pool then reads them side by side)."""
        from interform.providers.base import Provider

        by_target: dict[str, dict[str, Entry]] = {}
        for address, entry in sorted(readable.items()):
            by_target.setdefault(entry.target, {})[address] = entry
        batches: list[dict[str, Entry]] = []
        for target, entries in by_target.items():
            batched = type(self.connections[target]).read_many is not Provider.read_many
            batches += [entries] if batched else [{a: e} for a, e in entries.items()]
        return batches

    def resolve(self, pending: Sequence[PendingCreate]) -> Mapping[str, Found]:
        """What became of every interrupted create, decided together so that one object
        is never adopted by two addresses (`plan.matching`). With `wait`, attempts too
        recent to be proven absent are looked up again once they are."""
        self.connections.check({p.entry.target for p in pending})
        results = self._resolve_once(pending)
        retry = max((f.retry_at for f in results.values() if f.retry_at), default=None)
        if retry is not None and self.wait:
            # never longer than one settle window, whatever the recorded time says, nor
            # past the run's --timeout (what is still unsettled then stays blocked)
            seconds = min(retry - self.clock(), self._longest_window(), waiting.run_left())
            if self.notice is not None:
                self.notice(
                    f"Waiting {max(seconds, 0):.0f} s before deciding whether interrupted "
                    "creates happened: the platform may still be making them."
                )
            self.sleep(max(seconds, 0.0))
            results = self._resolve_once(pending)
        return results

    def _resolve_once(self, pending: Sequence[PendingCreate]) -> dict[str, Found]:
        from interform.plan.matching import decide

        looked: dict[str, tuple[Attempt, Lookup]] = {}
        failed: dict[str, Found] = {}

        def one(item: PendingCreate) -> None:
            found = self._look(item)
            if isinstance(found, tuple):
                looked[item.address] = found
            else:
                failed[item.address] = found

        fan_out(one, list(pending), self.workers)
        decided = decide([looked[p.address] for p in pending if p.address in looked], self.clock())
        return {**decided, **failed}

    def _look(self, item: PendingCreate) -> tuple[Attempt, Lookup] | Found:
        """`Provider.lookup` for one interrupted create; a failed lookup is undecidable
        (never "absent": that would create a second object)."""
        from interform.plan.matching import Attempt
        from interform.plan.pending import pending_create
        from interform.providers.base import Found
        from interform.providers.errors import ProviderError
        from interform.providers.registry import kind_spec

        op = pending_create(item.entry)
        if op is None:
            return Found("undecidable", detail="no pending create recorded")
        sent = sent_resource(item, op.request, op.digest)
        provider = self.connections[item.entry.target]
        try:
            lookup = provider.lookup(
                sent, op.marker or "", op.parent_remote_id, self._excluded(item.entry)
            )
        except ProviderError as err:
            return Found("undecidable", detail=f"the lookup failed: {err.describe()}")
        spec = kind_spec(item.entry.provider, item.entry.kind)
        attempt = Attempt(
            item.address,
            item.entry.target,
            item.entry.kind,
            op.marker or "",
            sent.digest,
            op.started_at,
            self._settle_at(item.entry.target, op.started_at),
            spec.label,
        )
        return attempt, lookup

    def _longest_window(self) -> float:
        timeouts = [t.timeout for t in self.connections.ws.project.targets.values()]
        return 1.0 + max(timeouts, default=0.0) + SETTLE_MARGIN

    def _settle_at(self, target: str, started_at: str | None) -> float | None:
        """When a lost answer can no longer land: the attempt (recorded to the second,
        so one more), plus as long as the client waits for an answer, plus a margin for
        a platform that finishes a request its client gave up on."""
        from interform.isotime import parse_iso

        started = parse_iso(started_at)
        config = self.connections.ws.project.targets.get(target)
        if started is None or config is None:
            return None
        return started.timestamp() + 1.0 + config.timeout + SETTLE_MARGIN

    def _excluded(self, entry: Entry) -> frozenset[str]:
        return frozenset(
            e.remote_id
            for e in self.tracked.values()
            if e.remote_id and e.target == entry.target and e.kind == entry.kind
        )


_READ_FIX = "check the target's credential and connectivity, or plan without --refresh"


def sent_resource(
    item: PendingCreate, request: Mapping[str, object] | None, digest: str | None
) -> DesiredResource:
    """The resource as the interrupted create sent it: its recorded body, which may
    differ from today's definition (edited since), or be all there is (deleted since)."""
    from interform.digest import body_digest
    from interform.providers.base import DesiredResource

    entry = item.entry
    body = dict(request) if request is not None else None
    if item.desired is not None:
        if body is None:
            return item.desired
        return dataclasses.replace(item.desired, body=body, digest=digest or body_digest(body))
    return DesiredResource(
        identity=entry.identity(item.address),
        body=body or {},
        source=entry.source or "",
        parent_remote_id=entry.parent_remote_id,
    )


def fan_out(work: Callable[[T], object], items: Sequence[T], workers: int) -> None:
    """Run `work` on every item, up to `workers` at a time; the first exception raised
    by any item propagates once all have finished.

    The threads are daemons and the wait for them can be interrupted: Ctrl-C during a
    read-back ends the command at once (a thread pool's workers would be waited for, at
    the interrupt and again at exit, for as long as their requests take)."""
    if len(items) <= 1 or workers <= 1:
        for item in items:
            work(item)
        return
    todo = queue.SimpleQueue[T]()
    for item in items:
        todo.put(item)
    failures: list[BaseException] = []

    def drain() -> None:
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                work(item)
            except BaseException as err:  # reported by the caller's thread, below
                failures.append(err)

    threads = [
        threading.Thread(target=drain, daemon=True, name="read-back")
        for _ in range(min(workers, len(items)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def reader_for(ws: Workspace) -> PlatformReader:
    """The reader `plan --refresh` uses."""
    from interform.apply.connect import Connections

    return PlatformReader(Connections(ws), ws.lock.entries if ws.lock else {})
