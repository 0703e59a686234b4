"""Plugin threads take turns through the work gate; a stuck one only jams it."""

from __future__ import annotations

import itertools
import threading
import time

from lsp_server.work_gate import WorkGate


def test_turns_do_not_overlap() -> None:
    gate = WorkGate(patience=5.0)
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def work() -> None:
        with gate.turn():
            start = time.monotonic()
            time.sleep(0.05)
            with lock:
                spans.append((start, time.monotonic()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    spans.sort()
    assert len(spans) == 4
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert not gate.jammed


def test_a_stuck_holder_jams_the_gate_until_it_lets_go() -> None:
    gate = WorkGate(patience=5.0)
    holding, release = threading.Event(), threading.Event()

    def stuck() -> None:
        with gate.turn():
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=stuck)
    holder.start()
    assert holding.wait(5)
    t0 = time.monotonic()
    with gate.turn(patience=0.2):  # waits its patience, then runs beside the holder
        waited = time.monotonic() - t0
    assert 0.15 <= waited < 2.0
    assert gate.jammed
    t0 = time.monotonic()
    with gate.turn(patience=3.0):  # jammed: nobody queues behind the stuck plugin any more
        assert time.monotonic() - t0 < 0.5
    release.set()
    holder.join(5)
    assert not gate.jammed  # the holder let go: turns again
    t0 = time.monotonic()
    with gate.turn(patience=3.0):
        assert time.monotonic() - t0 < 0.5
