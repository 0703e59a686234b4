"""One generation worker per model, with a queue.

The model can only do one thing at a time, so requests queue on one thread.
A newer request on the same channel (the next keystroke's completion)
supersedes older ones: queued ones are answered at once, the running one is
stopped at its next decoding step.  Every request carries its own token and
time limits; ``cancel`` stops a request between steps too.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from lsp_server.runtime.backend import Backend, GenerationParams
from lsp_server.runtime.prompts import Prompt

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    DONE = "done"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"
    TIMEOUT = "timeout"
    ERROR = "error"


@dataclass(frozen=True)
class GenerationResult:
    outcome: Outcome
    text: str = ""
    tokens: int = 0
    seconds: float = 0.0
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.DONE


@dataclass
class Job:
    id: int
    prompt: Prompt
    params: GenerationParams
    channel: str
    deadline: float
    stop: threading.Event = field(default_factory=threading.Event)
    future: cf.Future[GenerationResult] = field(default_factory=cf.Future)
    reason: Outcome = Outcome.CANCELLED

    def should_stop(self) -> bool:
        return self.stop.is_set() or time.monotonic() > self.deadline

    def result(self, timeout: float | None = None) -> GenerationResult:
        return self.future.result(timeout)


class GenerationWorker:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._queue: deque[Job] = deque()
        self._running: Job | None = None
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="marginalia-generation", daemon=True)
        self._thread.start()

    # -- requests ------------------------------------------------------------
    def submit(
        self,
        prompt: Prompt,
        params: GenerationParams,
        *,
        channel: str = "completion",
        time_limit: float = 5.0,
        supersede: bool = True,
    ) -> Job:
        job = Job(next(self._ids), prompt, params, channel, time.monotonic() + time_limit)
        with self._cond:
            if self._closed:
                job.future.set_result(GenerationResult(Outcome.CANCELLED, error="the model was unloaded"))
                return job
            if supersede:
                self._stop_where(lambda j: j.channel == channel, Outcome.SUPERSEDED)
            self._queue.append(job)
            self._cond.notify()
        return job

    def cancel(self, job: Job | None = None, *, channel: str | None = None) -> int:
        """Stop one job, every job on ``channel``, or (no arguments) everything; returns how many."""
        if job is not None:
            return self._stop_where(lambda j: j is job, Outcome.CANCELLED)
        return self._stop_where(lambda j: channel is None or j.channel == channel, Outcome.CANCELLED)

    def _stop_where(self, match: Callable[[Job], bool], reason: Outcome) -> int:
        n = 0
        with self._cond:
            keep: deque[Job] = deque()
            for queued in self._queue:
                if match(queued):
                    queued.future.set_result(GenerationResult(reason))
                    n += 1
                else:
                    keep.append(queued)
            self._queue = keep
            running = self._running
            if running is not None and match(running) and not running.stop.is_set():
                running.reason = reason
                running.stop.set()
                n += 1
        return n

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._running is not None or bool(self._queue)

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing runs or waits (for tests and benchmarks)."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._running is not None or self._queue:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # -- the thread ----------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job = self._queue.popleft()
                self._running = job
            result = self._run(job)
            with self._cond:
                self._running = None
                self._cond.notify_all()
            job.future.set_result(result)

    def _run(self, job: Job) -> GenerationResult:
        started = time.perf_counter()
        if job.should_stop():
            outcome = job.reason if job.stop.is_set() else Outcome.TIMEOUT
            return GenerationResult(outcome)
        try:
            out = self.backend.generate(job.prompt, job.params, job.should_stop)
        except Exception as exc:  # one failed request must not kill the worker
            log.warning("generation failed: %s", exc, exc_info=exc)
            return GenerationResult(Outcome.ERROR, seconds=time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - started
        if job.stop.is_set():
            outcome = job.reason
        elif out.stopped_early:
            outcome = Outcome.TIMEOUT
        else:
            outcome = Outcome.DONE
        return GenerationResult(outcome, out.text, out.tokens, seconds)

    def close(self) -> None:
        self.cancel()
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=5)
