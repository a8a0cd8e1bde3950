"""Pacing keeps each lane at its rate, allows only half an interval of earliness, and holds a
lane after a 429."""

from __future__ import annotations

from bot.delivery.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_lane_is_paced_at_its_rate() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    lane = [("slack:T1", 10.0)]
    assert pacer._take(lane) == 0.0
    assert abs(pacer._take(lane) - 0.05) < 1e-9  # the next may go half an interval early
    clock.now += 0.05
    assert pacer._take(lane) == 0.0
    sent = 2
    while clock.now < 110.0:
        wait = pacer._take(lane)
        if wait:
            clock.now += wait
        else:
            sent += 1
    assert 100 <= sent <= 102  # ten seconds at 10/s, plus the first and the tolerance


def test_the_slowest_lane_decides_and_lanes_are_independent() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    assert pacer._take([("ws", 100.0), ("channel", 1.0)]) == 0.0
    assert pacer._take([("ws", 100.0), ("channel", 1.0)]) > 0.4
    clock.now += 0.01
    assert pacer._take([("ws", 100.0), ("other", 1.0)]) == 0.0


def test_a_hold_after_rate_limiting_blocks_the_lane() -> None:
    clock = Clock()
    pacer = Pacer(clock)
    pacer.hold([("ws", 50.0)], 2.0)
    assert abs(pacer._take([("ws", 50.0)]) - (2.0 - 0.01)) < 1e-9
    clock.now += 2.0
    assert pacer._take([("ws", 50.0)]) == 0.0
