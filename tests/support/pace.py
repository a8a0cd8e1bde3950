"""Events at a person's pace: tests send clicks milliseconds apart, people a few seconds apart.

The double-tap rule ignores a repeated tap within a second, so tests that are not about it
advance the turns' clock by a few seconds per event.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import turn

READING = timedelta(seconds=3)


def human_pace(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime.now(UTC)

    def clock() -> datetime:
        nonlocal moment
        moment = max(moment + READING, datetime.now(UTC))
        return moment

    monkeypatch.setattr(turn, "wall_clock", clock)
