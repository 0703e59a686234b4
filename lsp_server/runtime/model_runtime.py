"""A model that loads itself in the background on first use.

Plugins ask a :class:`ModelRuntime` for completions; until the model is ready
they get nothing back at once (and a "loading n%" status), so diagnostics
never wait for torch to import or weights to load.  The registry shares one
runtime between plugins with the same ``model`` settings.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from lsp_server.runtime.backend import Backend, GenerationParams
from lsp_server.runtime.cache import CompletionCache
from lsp_server.runtime.hardware import ModelUnavailable
from lsp_server.runtime.prompts import Prompt
from lsp_server.runtime.settings import ModelSettings
from lsp_server.runtime.worker import GenerationResult, GenerationWorker, Job, Outcome

log = logging.getLogger(__name__)
Loader = Callable[[ModelSettings, Callable[[float, str], None]], Backend]


class State(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


def default_loader(settings: ModelSettings, progress: Callable[[float, str], None]) -> Backend:
    """Resolve, fetch and load the model the settings name (runs on the loader thread)."""
    if settings.backend == "openai":
        from lsp_server.runtime.remote import RemoteBackend

        return RemoteBackend(settings)
    progress(0.01, "importing torch")
    from lsp_server.runtime import hardware, hub

    hardware.prepare_cpu_threads()

    try:
        from lsp_server.runtime import local
    except ImportError as exc:
        raise ModelUnavailable(f"the model stack is not installed ({exc}); pip install 'marginalia[model]'") from exc
    if settings.threads > 0:
        import torch

        torch.set_num_threads(settings.threads)
    placement = hardware.place(settings)
    if settings.path:
        folder = Path(settings.path).expanduser()
        source = str(folder)
    elif settings.name != "auto" and Path(settings.name).expanduser().is_dir():
        folder = Path(settings.name).expanduser()
        source = str(folder)
    else:
        source = settings.name if settings.name != "auto" else hardware.auto_rung(placement).hub_id
        folder = hub.fetch(
            source, settings.revision, download=settings.download, progress=lambda f, m: progress(0.05 + 0.45 * f, m)
        )
    return local.load(folder, placement, source, progress=lambda f, m: progress(0.5 + 0.5 * f, m))


class ModelRuntime:
    def __init__(self, settings: ModelSettings, loader: Loader = default_loader, cache_size: int = 256) -> None:
        self.settings = settings
        self._loader = loader
        self._lock = threading.Lock()
        self.state = State.IDLE
        self.progress = 0.0
        self.message = "not loaded yet (loads on first use)"
        self.backend: Backend | None = None
        self.worker: GenerationWorker | None = None
        self.cache = CompletionCache(cache_size)
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    # -- loading -------------------------------------------------------------
    def ensure_loading(self) -> State:
        """Start loading in the background if nobody has; never blocks."""
        with self._lock:
            if self.state is State.IDLE:
                self.state = State.LOADING
                self.message = "loading 0%"
                self._thread = threading.Thread(target=self._load, name="marginalia-model-loader", daemon=True)
                self._thread.start()
            return self.state

    def _report(self, fraction: float, what: str) -> None:
        self.progress = max(self.progress, min(fraction, 1.0))
        self.message = f"loading {int(self.progress * 100)}%: {what}"

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            backend = self._loader(self.settings, self._report)
        except ModelUnavailable as exc:
            self._fail(str(exc))
            return
        except Exception as exc:  # a broken model must not take the server down
            log.exception("loading the model failed")
            self._fail(f"loading the model failed: {type(exc).__name__}: {exc}")
            return
        with self._lock:
            self.backend = backend
            self.worker = GenerationWorker(backend)
            self.state = State.READY
            self.progress = 1.0
            self.message = f"ready: {backend.description} (loaded in {time.perf_counter() - started:.1f}s)"
        self._ready.set()

    def _fail(self, message: str) -> None:
        log.warning("model unavailable: %s", message)
        with self._lock:
            self.state = State.FAILED
            self.message = message
        self._ready.set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Start loading if needed and wait; True when the model is ready."""
        self.ensure_loading()
        self._ready.wait(timeout)
        return self.state is State.READY

    @property
    def ready(self) -> bool:
        return self.state is State.READY

    def status(self) -> tuple[bool, str]:
        return self.state is State.READY, self.message

    # -- generation ----------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        if self.backend is None:
            return (len(text) + 3) // 4
        return self.backend.count_tokens(text)

    def submit(
        self, prompt: Prompt, params: GenerationParams, *, channel: str, time_limit: float, supersede: bool = True
    ) -> Job | None:
        """Queue a generation; None while the model is not ready (loading starts)."""
        if self.state is not State.READY:
            self.ensure_loading()
            return None
        assert self.worker is not None
        return self.worker.submit(prompt, params, channel=channel, time_limit=time_limit, supersede=supersede)

    def generate(
        self,
        prompt: Prompt,
        params: GenerationParams,
        *,
        channel: str,
        time_limit: float,
        cancelled: threading.Event | None = None,
        use_cache: bool = False,
    ) -> GenerationResult:
        """Generate and wait (at most ``time_limit`` plus one decoding step)."""
        context = (prompt.cache_key()[:4], prompt.suffix, params.max_new_tokens, tuple(params.stop))
        if use_cache:
            hit = self.cache.get(context, prompt.text)
            if hit is not None:
                return GenerationResult(Outcome.DONE, hit)
        job = self.submit(prompt, params, channel=channel, time_limit=time_limit)
        if job is None:
            return GenerationResult(Outcome.CANCELLED, error=self.message)
        while True:
            try:
                result = job.result(timeout=0.05)
                break
            except TimeoutError:
                if cancelled is not None and cancelled.is_set() and self.worker is not None:
                    self.worker.cancel(job)
        if use_cache and result.ok:
            self.cache.put(context, prompt.text, result.text)
        return result

    def cancel(self, channel: str | None = None) -> int:
        return self.worker.cancel(channel=channel) if self.worker is not None else 0

    def close(self) -> None:
        with self._lock:
            worker, backend = self.worker, self.backend
            self.worker = self.backend = None
            self.state = State.IDLE if self.state is not State.FAILED else self.state
            self.progress = 0.0
            self._ready.clear()
        if worker is not None:
            worker.close()
        if backend is not None:
            backend.close()


_registry: dict[tuple[object, ...], ModelRuntime] = {}
_registry_lock = threading.Lock()


def get_runtime(settings: ModelSettings, loader: Loader = default_loader) -> ModelRuntime:
    """The shared runtime for these settings (created, not loaded, on first request)."""
    key = (*settings.key(), loader)
    with _registry_lock:
        rt = _registry.get(key)
        if rt is None:
            rt = _registry[key] = ModelRuntime(settings, loader)
        return rt


def cancel_generation(channel: str | None = None) -> int:
    """Stop running and queued generations everywhere (the server calls this on
    $/cancelRequest and on edits); cheap and import-free when no model is loaded."""
    with _registry_lock:
        runtimes = list(_registry.values())
    return sum(rt.cancel(channel) for rt in runtimes)


def release_all() -> None:
    with _registry_lock:
        runtimes = list(_registry.values())
        _registry.clear()
    for rt in runtimes:
        rt.close()
