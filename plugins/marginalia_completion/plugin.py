"""The completion plugin: ghost text (inline completion) and one completion item.

The first request starts loading the model in the background and returns
nothing; later requests return a continuation of the sentence once the model
is ready.  A newer request supersedes the one still generating.
"""

from __future__ import annotations

from collections.abc import Iterable

from lsp_server.documents.model import ProseDocument
from lsp_server.plugin import CheckContext, Plugin, Suggestion
from lsp_server.runtime import GenerationParams, ModelRuntime, Prompt, get_runtime
from lsp_server.runtime.model_runtime import Loader, default_loader
from lsp_server.runtime.worker import Outcome
from marginalia_completion.context import extract, finish
from marginalia_completion.settings import CompletionSettings

CHANNEL = "completion"
SENTENCE_STOPS = (". ", "? ", "! ", ".\n", "\n\n")
PARAGRAPH_STOPS = ("\n\n",)


class CompletionPlugin(Plugin):
    name = "completion"
    Settings = CompletionSettings
    enabled_by_default = False  # needs model weights: opt in with enabled_plugins = ["completion"]
    requires_trust = True  # no model loads (or downloads) in an untrusted workspace
    languages = frozenset({"latex", "markdown", "quarto", "rmarkdown", "plaintext"})
    time_limit = 10.0
    # How a model is loaded; tests put a scripted backend here.
    loader: Loader = staticmethod(default_loader)  # type: ignore[assignment]

    def __init__(self) -> None:
        self._runtime: ModelRuntime | None = None

    def runtime(self, settings: CompletionSettings) -> ModelRuntime:
        rt = get_runtime(settings.model, self.loader)
        self._runtime = rt
        return rt

    def suggest(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> tuple[str, str] | None:
        """(partial word at the cursor, continuation) or None; never waits for loading."""
        settings: CompletionSettings = ctx.settings if isinstance(ctx.settings, CompletionSettings) else CompletionSettings()
        rt = self.runtime(settings)
        if not rt.ready:
            rt.ensure_loading()
            return None
        context, _why = extract(
            doc,
            offset,
            before_tokens=settings.context_tokens,
            after_tokens=settings.suffix_tokens,
            count_tokens=rt.count_tokens,
            allow_in=frozenset(settings.allow_in),
        )
        if context is None or len(context.paragraph_prefix.strip()) < settings.min_prefix_chars:
            return None
        # Token healing: byte-level BPE merges the space and the word being typed into one
        # token (" method"), so a prompt ending in " met" or " " is out of distribution.  Ask
        # without what was typed since the last word and keep answers that start with it.
        head = context.prefix[: len(context.prefix) - len(context.partial)].rstrip(" \t")
        typed = context.prefix[len(head) :]
        prompt = Prompt("continue", head, suffix=context.suffix, style=settings.prompt_style)
        stops = SENTENCE_STOPS if settings.stop_at == "sentence" else PARAGRAPH_STOPS
        params = GenerationParams(max_new_tokens=settings.max_new_tokens, stop=stops)
        result = rt.generate(
            prompt, params, channel=CHANNEL, time_limit=settings.time_limit, cancelled=ctx.cancelled, use_cache=True
        )
        if result.outcome not in (Outcome.DONE, Outcome.TIMEOUT) or ctx.cancelled.is_set():
            return None
        if not result.text.startswith(typed):
            return None  # the model went another way than what the user is typing
        continuation = result.text[len(typed) :]
        natural_end = result.outcome is Outcome.DONE and result.tokens < settings.max_new_tokens
        text = finish(continuation, context.prefix, stop_at=settings.stop_at, complete=natural_end)
        return (context.partial, text) if text.strip() else None

    def inline_complete(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> Iterable[Suggestion]:
        found = self.suggest(doc, offset, ctx)
        if found is None:
            return []
        _partial, text = found
        return [Suggestion(label=text.strip(), text=text, start=offset, end=offset, detail="model", kind="text")]

    def complete(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> Iterable[Suggestion]:
        settings = ctx.settings if isinstance(ctx.settings, CompletionSettings) else CompletionSettings()
        if not settings.completion_item:
            return []
        found = self.suggest(doc, offset, ctx)
        if found is None:
            return []
        partial, text = found
        full = partial + text
        label = full.strip()
        label = label if len(label) <= 60 else label[:57] + "…"
        return [
            Suggestion(
                label=label,
                text=full,
                start=offset - len(partial),
                end=offset,
                detail="continue the sentence (model)",
                kind="text",
                filter_text=full,
                sort_text="~model",
            )
        ]

    def status(self) -> tuple[bool, str]:
        if self._runtime is None:
            return True, "model loads on first use"
        return self._runtime.status()

    def shutdown(self) -> None:
        if self._runtime is not None:
            self._runtime.close()
