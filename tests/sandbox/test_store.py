"""Account logs: replay, torn lines, compaction, several processes on one directory."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from interform.sandbox.accounts import account_name, log_path, sandbox_credential
from interform.sandbox.store import Account


def _account(tmp_path: Path, name: str = "demo") -> Account:
    return Account(log_path(tmp_path / "micro1", name), "micro1", name)


def test_accounts_are_named_by_credential_and_the_key_is_never_kept(tmp_path: Path) -> None:
    assert account_name(sandbox_credential("staging")) == "staging"
    secret = "live-key-7f3a9c0d2e"
    derived = account_name(secret)
    assert derived.startswith("key-") and len(derived) == 12 and secret not in derived
    assert account_name("sandbox-") == account_name("sandbox-") != "sandbox-"
    odd = _account(tmp_path, "a/../b c")
    with odd.writing():
        odd.put("interview", "1", {"n": 1})
    assert odd.path.parent == tmp_path / "micro1" and "/" not in odd.path.name


def test_state_survives_a_new_process(tmp_path: Path) -> None:
    first = _account(tmp_path)
    with first.writing():
        first.put("interview", "a", {"n": 1})
        first.put("interview", "b", {"n": 2})
        first.put("interview", "a", {"n": 3})
        first.delete("interview", "b")
    first.close()
    second = _account(tmp_path)
    with second.reading():
        assert second.items("interview") == [("a", {"n": 3})]
    header = json.loads(second.path.read_text().splitlines()[0])
    assert header == {"interform-sandbox": 1, "platform": "micro1", "account": "demo"}


def test_a_torn_last_line_is_ignored_then_cut_off(tmp_path: Path) -> None:
    first = _account(tmp_path)
    with first.writing():
        first.put("interview", "a", {"n": 1})
    first.close()
    with open(first.path, "ab") as f:
        f.write(b'{"put":"interview","id":"b","obj":{"n"')  # killed mid-write
    second = _account(tmp_path)
    with second.reading():
        assert [oid for oid, _ in second.items("interview")] == ["a"]
    with second.writing():
        second.put("interview", "c", {"n": 2})
    lines = second.path.read_text().splitlines()
    assert [json.loads(line).get("id") for line in lines[1:]] == ["a", "c"]


def test_compaction_keeps_the_state_and_shrinks_the_log(tmp_path: Path) -> None:
    account = Account(log_path(tmp_path / "micro1", "demo"), "micro1", "demo", compact_after=50)
    for i in range(200):
        with account.writing():
            account.put("interview", "same", {"n": i})
            account.put("interview", f"x{i % 3}", {"n": i})
    assert len(account.path.read_text().splitlines()) < 60
    account.close()
    again = _account(tmp_path)
    with again.reading():
        assert dict(again.items("interview")) == {
            "same": {"n": 199},
            "x0": {"n": 198},
            "x1": {"n": 199},
            "x2": {"n": 197},
        }


def test_two_processes_see_each_others_writes_and_removal(tmp_path: Path) -> None:
    server, cli = _account(tmp_path), _account(tmp_path)  # two processes' views of one log
    with server.writing():
        server.put("interview", "a", {"n": 1})
    with cli.writing():
        cli.put("interview", "b", {"n": 2})
    with server.reading():
        assert [oid for oid, _ in server.items("interview")] == ["a", "b"]
    cli.compact()  # replaces the file: the other side reloads
    with server.writing():
        server.put("interview", "c", {"n": 3})
    with cli.reading():
        assert [oid for oid, _ in cli.items("interview")] == ["a", "b", "c"]
    cli.erase()  # `sandbox reset` from another process
    with server.reading():
        assert server.items("interview") == []
    with server.writing():
        server.put("interview", "d", {"n": 4})
    assert len(server.path.read_text().splitlines()) == 2  # a fresh header and one put


def test_parallel_writers_lose_nothing(tmp_path: Path) -> None:
    account = _account(tmp_path)

    def work(worker: int) -> None:
        for i in range(50):
            with account.writing():
                account.put("interview", f"{worker}-{i}", {"w": worker, "i": i})

    threads = [threading.Thread(target=work, args=(w,)) for w in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    account.close()
    replayed = _account(tmp_path)
    with replayed.reading():
        assert len(replayed.items("interview")) == 800
