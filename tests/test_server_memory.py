"""The server tunes the cyclic collector only when it is the whole process."""

from __future__ import annotations

import gc

from lsp_server.server import create_server, settle_memory


def test_an_in_process_server_leaves_the_collector_alone() -> None:
    before = gc.get_threshold()
    server = create_server()
    assert not server.owns_process
    assert gc.get_threshold() == before


def test_settling_freezes_what_is_loaded_and_later_objects_are_still_collected() -> None:
    try:
        settle_memory()
        assert gc.get_freeze_count() > 0
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1  # objects made after the freeze are collected as usual
    finally:
        gc.unfreeze()
