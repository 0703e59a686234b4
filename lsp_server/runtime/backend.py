"""The interface every backend offers to the generation worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from lsp_server.runtime.prompts import Prompt

ShouldStop = Callable[[], bool]


@dataclass(frozen=True)
class GenerationParams:
    max_new_tokens: int = 24
    # Benchmarks force a fixed length; completions leave it at 0.
    min_new_tokens: int = 0
    # Generation ends right after the first of these appears in the output.
    stop: Sequence[str] = ()
    temperature: float = 0.0


@dataclass(frozen=True)
class Generated:
    text: str
    tokens: int
    stopped_early: bool  # should_stop() ended it (cancel, supersede, deadline)


class Backend(Protocol):
    @property
    def description(self) -> str: ...

    def generate(self, prompt: Prompt, params: GenerationParams, should_stop: ShouldStop) -> Generated:
        """Generate, polling ``should_stop`` between decoding steps."""
        ...

    def count_tokens(self, text: str) -> int: ...

    def close(self) -> None: ...


def cut_at_stop(text: str, stop: Sequence[str]) -> tuple[str, bool]:
    """``text`` up to and including the earliest stop string; (text, found)."""
    best: int | None = None
    for s in stop:
        if not s:
            continue
        i = text.find(s)
        if i >= 0 and (best is None or i + len(s) < best):
            best = i + len(s)
    return (text[:best], True) if best is not None else (text, False)
