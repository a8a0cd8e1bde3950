"""The group commit: callers queued during a commit share the next transaction, each is
answered only after the commit that holds it, and one failing item fails alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.group_commit import GroupCommit


class Ledger:
    """A stand-in database: what each transaction did, and what got committed."""

    def __init__(self) -> None:
        self.transactions: list[list[str]] = []
        self.committed: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Any]:
        work: list[str] = []
        self.transactions.append(work)
        yield work
        await self.gate.wait()  # the commit takes a while
        self.committed.extend(work)


async def store(session: Any, items: Sequence[str]) -> list[str]:
    for item in items:
        if item == "bad":
            raise ValueError("a click the database refuses")
        session.append(item)
    return [f"stored {item}" for item in items]


async def during_a_slow_commit(
    ledger: Ledger, first: str, *later: str
) -> tuple[asyncio.Task[str], list[asyncio.Task[str]]]:
    """`first` starts a transaction whose commit waits for the gate; `later` queue meanwhile."""
    group = GroupCommit(ledger.transaction, store)
    ledger.gate.clear()
    started = asyncio.create_task(group.submit(first))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(group.submit(name)) for name in later]
    await asyncio.sleep(0.01)
    return started, waiting


async def test_clicks_arriving_during_a_commit_share_the_next_one() -> None:
    ledger = Ledger()
    first, later = await during_a_slow_commit(ledger, "a", "b", "c", "d")
    assert not first.done(), "nobody is answered before their commit"
    assert ledger.committed == []
    ledger.gate.set()
    assert await asyncio.gather(first, *later) == ["stored a", "stored b", "stored c", "stored d"]
    assert ledger.transactions == [["a"], ["b", "c", "d"]]
    assert ledger.committed == ["a", "b", "c", "d"]


async def test_one_bad_item_fails_alone_and_the_others_are_stored() -> None:
    ledger = Ledger()
    first, rest = await during_a_slow_commit(ledger, "a", "b", "bad", "c")
    ledger.gate.set()
    assert await first == "stored a"
    assert await rest[0] == "stored b"
    with pytest.raises(ValueError, match="refuses"):
        await rest[1]
    assert await rest[2] == "stored c"
    assert ledger.committed == ["a", "b", "c"]


async def test_a_caller_that_gives_up_does_not_undo_its_answer() -> None:
    ledger = Ledger()
    group = GroupCommit(ledger.transaction, store)
    ledger.gate.clear()
    impatient = asyncio.create_task(group.submit("a"))
    await asyncio.sleep(0)
    impatient.cancel()
    ledger.gate.set()
    assert await group.submit("b") == "stored b"
    assert ledger.committed == ["a", "b"]
