"""The rewrite plugin: lazy code actions that run the model only when picked.

``range_actions`` offers "Rewrite: fix grammar / more concise / …" for the
selection (or the paragraph at the cursor) without touching the model;
``resolve_action`` (codeAction/resolve) masks the markup, asks the model,
checks and restores the markup, and returns the smallest edit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from lsp_server.documents.model import ProseDocument
from lsp_server.plugin import Action, CheckContext, Finding, Plugin, Severity
from lsp_server.runtime import GenerationParams, ModelRuntime, Outcome, Prompt, State, get_runtime
from lsp_server.runtime.model_runtime import Loader, default_loader
from marginalia_rewrite.diffing import minimal_edit, word_changes
from marginalia_rewrite.protect import MARKER, Masked, RewriteRejected, mask, parser_spans, unmask
from marginalia_rewrite.settings import RewriteSettings
from marginalia_rewrite.styles import STYLES, SYSTEM, Style

CHANNEL = "rewrite"
KIND = "refactor.rewrite"
_LABEL = re.compile(r"^\s*(?:rewritten text|rewrite|corrected text|text)\s*:\s*", re.IGNORECASE)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _clean(output: str) -> str:
    """Strip what chat models wrap answers in: a label, quotes, a code fence."""
    text = output.strip()
    text = re.sub(r"^```\w*\n?|\n?```$", "", text).strip()
    text = _LABEL.sub("", text)
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'“”":
        text = text[1:-1]
    return text.strip()


class RewritePlugin(Plugin):
    name = "rewrite"
    Settings = RewriteSettings
    enabled_by_default = False  # needs model weights: opt in with enabled_plugins = ["rewrite"]
    requires_trust = True  # no model loads (or downloads) in an untrusted workspace
    languages = frozenset({"latex", "markdown", "quarto", "rmarkdown", "plaintext"})
    time_limit = 60.0
    # How a model is loaded; tests put a scripted backend here.
    loader: Loader = staticmethod(default_loader)  # type: ignore[assignment]

    def __init__(self) -> None:
        self._runtime: ModelRuntime | None = None
        # Model-grammar corrections per chunk key (the host's cache cannot hold "not ready yet").
        self._grammar: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()

    # -- helpers -------------------------------------------------------------
    @staticmethod
    def _settings(ctx: CheckContext) -> RewriteSettings:
        return ctx.settings if isinstance(ctx.settings, RewriteSettings) else RewriteSettings()

    def runtime(self, settings: RewriteSettings) -> ModelRuntime:
        self._runtime = get_runtime(settings.model, self.loader)
        return self._runtime

    @staticmethod
    def target(doc: ProseDocument, start: int, end: int) -> tuple[int, int] | None:
        """The selection without surrounding blanks, or the paragraph at the cursor."""
        size = len(doc.source)
        start, end = max(0, min(start, size)), max(0, min(end, size))
        if end > start:
            text = doc.source[start:end]
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            return (start + lead, end - trail) if end - trail > start + lead else None
        chunk = doc.chunk_at(start)
        return (chunk.src_start, chunk.src_end) if chunk is not None else None

    def _masked(self, doc: ProseDocument, a: int, b: int) -> Masked:
        extra = [(s - a, e - a) for s, e in parser_spans(doc, a, b)]
        return mask(doc.source[a:b], doc.language_id, extra)

    # -- actions -------------------------------------------------------------
    def range_actions(self, doc: ProseDocument, start: int, end: int, ctx: CheckContext) -> Iterable[Action]:
        settings = self._settings(ctx)
        span = self.target(doc, start, end)
        if span is None or span[1] - span[0] > settings.max_chars:
            return []
        rt = self.runtime(settings)
        if rt.ensure_loading() is State.FAILED:
            return []  # the status line says why; offering actions that cannot work helps nobody
        try:
            masked = self._masked(doc, *span)
        except RewriteRejected:
            return []
        if not re.search(r"[^\W\d_]{2,}", MARKER.sub(" ", masked.text)):
            return []  # nothing but markup selected
        text = doc.source[span[0] : span[1]]
        return [
            Action(
                title=f"Rewrite: {STYLES[key].title}",
                kind=KIND,
                data={"style": key, "start": span[0], "end": span[1], "digest": _digest(text)},
            )
            for key in settings.styles
            if key in STYLES
        ]

    def resolve_action(self, doc: ProseDocument, action: Action, ctx: CheckContext) -> Action | None:
        settings = self._settings(ctx)
        data = action.data if isinstance(action.data, Mapping) else {}
        style = STYLES.get(str(data.get("style", "")))
        a, b = data.get("start"), data.get("end")
        if style is None or not isinstance(a, int) or not isinstance(b, int) or not 0 <= a < b <= len(doc.source):
            raise ValueError(f"{action.title}: this action is malformed or out of date")
        original = doc.source[a:b]
        if data.get("digest") != _digest(original):
            raise ValueError(f"{action.title}: the text changed since the action was offered; ask again")
        rt = self.runtime(settings)
        if not rt.wait_ready(settings.load_wait):
            raise ValueError(f"{action.title}: the model is not ready ({rt.message})")
        new = self.rewrite(doc, a, b, style, settings, ctx, rt)
        edit = minimal_edit(original, new, a)
        if edit is None:
            raise ValueError(f"{action.title}: the model suggests no change")
        return dataclasses.replace(action, edit=edit, data=None)

    def rewrite(
        self, doc: ProseDocument, a: int, b: int, style: Style, settings: RewriteSettings, ctx: CheckContext, rt: ModelRuntime
    ) -> str:
        """The rewritten source text of ``doc.source[a:b]`` with all markup intact (or RewriteRejected)."""
        whole = self._masked(doc, a, b)
        stripped = whole.text.strip()
        lead = whole.text[: len(whole.text) - len(whole.text.lstrip())]
        trail = whole.text[len(whole.text.rstrip()) :]
        masked = Masked(stripped, whole.tokens)
        # Hard-wrapped source lines are one paragraph: the model sees them as one line.
        flat = re.sub(r"[ \t]*\n[ \t]*", " ", stripped)
        core_limit = float(getattr(ctx.core, "plugin_time_limit", 10.0) or 10.0)
        time_limit = settings.time_limit or max(1.0, core_limit - 1.0)
        params = GenerationParams(max_new_tokens=min(2048, 2 * rt.count_tokens(flat) + 32))
        prompt = Prompt("instruct", flat, instruction=style.instruction, system=SYSTEM)
        result = rt.generate(prompt, params, channel=CHANNEL, time_limit=time_limit, cancelled=ctx.cancelled)
        if result.outcome is Outcome.TIMEOUT:
            raise ValueError(f"the rewrite took longer than {time_limit:g}s and was stopped; try a shorter selection")
        if result.outcome is not Outcome.DONE:
            raise ValueError(f"the rewrite did not finish ({result.outcome.value}{': ' + result.error if result.error else ''})")
        if result.tokens >= params.max_new_tokens:
            raise ValueError("the rewrite ran past its length limit and was not applied")
        out = _clean(result.text)
        if not out:
            raise ValueError("the model returned an empty rewrite")
        restored = unmask(masked, out, doc.language_id)
        return lead + restored.text + trail

    # -- optional model grammar diagnostics ------------------------------------
    def check_document(self, doc: ProseDocument, ctx: CheckContext) -> Iterable[Finding]:
        settings = self._settings(ctx)
        if not settings.model_grammar:
            return []
        rt = self.runtime(settings)
        if not rt.ready:
            rt.ensure_loading()
            return []
        out: list[Finding] = []
        budget = settings.model_grammar_batch
        for chunk in doc.chunks:
            cached = self._grammar.get(chunk.key)
            if cached is None:
                if budget <= 0 or ctx.cancelled.is_set():
                    continue
                budget -= 1
                cached = self._grammar_findings(doc, chunk.src_start, chunk.src_end, settings, ctx, rt)
                self._grammar[chunk.key] = cached
                while len(self._grammar) > 4096:
                    self._grammar.popitem(last=False)
            out.extend(f.shifted(chunk.src_start) for f in cached)
        return out

    def _grammar_findings(
        self, doc: ProseDocument, a: int, b: int, settings: RewriteSettings, ctx: CheckContext, rt: ModelRuntime
    ) -> tuple[Finding, ...]:
        """Findings relative to ``a`` for what the model would correct in ``doc.source[a:b]``."""
        try:
            new = self.rewrite(doc, a, b, STYLES["grammar"], settings, ctx, rt)
        except ValueError:
            return ()  # a rejected or failed correction is not a finding
        original = doc.source[a:b]
        return tuple(
            Finding(s, e, "rewrite.model-grammar", f"The model suggests “{r.strip() or 'deleting this'}”.", Severity.INFO, (r,))
            for s, e, r in word_changes(original, new)
        )

    def status(self) -> tuple[bool, str]:
        if self._runtime is None:
            return True, "model loads on first use"
        return self._runtime.status()

    def shutdown(self) -> None:
        if self._runtime is not None:
            self._runtime.close()


