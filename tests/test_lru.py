"""The shared LRU map: bounded, oldest out first, a lookup refreshes."""

from __future__ import annotations

from lsp_server.lru import LRU


def test_oldest_goes_first_and_a_lookup_refreshes() -> None:
    lru: LRU[str, int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "b" is now the oldest
    lru.put("c", 3)
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (1, None, 3)
    assert len(lru) == 2


def test_pop_and_clear() -> None:
    lru: LRU[str, int] = LRU(4)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.pop("a") == 1
    assert lru.pop("a") is None
    lru.clear()
    assert len(lru) == 0 and lru.get("b") is None
