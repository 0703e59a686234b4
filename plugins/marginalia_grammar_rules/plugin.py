"""The ``grammar-rules`` plugin: runs every offline rule on each chunk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from lsp_server.documents.model import Chunk
from lsp_server.plugin import CheckContext, Finding, Plugin
from marginalia_grammar_rules.rules import ALL_RULES, Rule, RuleOptions
from marginalia_grammar_rules.settings import GrammarRulesSettings
from marginalia_grammar_rules.text import ChunkText

PLUGIN_NAME = "grammar-rules"


def rule_id(rule: Rule) -> str:
    return f"{PLUGIN_NAME}.{rule.id}"


def applies_to(language: str, settings: GrammarRulesSettings) -> bool:
    lang = language.lower()
    return any(lang == p.lower() or lang.startswith(p.lower() + "-") for p in settings.languages)


def check_text(chunk: Chunk, settings: GrammarRulesSettings | None = None, rules: Iterable[Rule] = ALL_RULES) -> Iterator[Finding]:
    """Findings of ``rules`` on one chunk, in source offsets."""
    opts = RuleOptions(comma_after_ie_eg=(settings or GrammarRulesSettings()).comma_after_ie_eg)
    view = ChunkText(chunk)
    if not view.looks_english:
        return
    for rule in rules:
        if chunk.role in rule.skip_roles:
            continue
        for m in rule.check(view, opts):
            if not view.source_contiguous(m.start, m.end):
                continue
            start, end = chunk.to_source(m.start, m.end)
            yield Finding(
                start,
                end,
                rule_id(rule),
                m.message,
                rule.severity,
                m.replacements[:5],
                PLUGIN_NAME,
                explanation=rule.description,
                data={"prose": chunk.text[m.start : m.end]},
            )


class GrammarRulesPlugin(Plugin):
    name: ClassVar[str] = PLUGIN_NAME
    Settings: ClassVar[type] = GrammarRulesSettings
    time_limit: ClassVar[float] = 5.0

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        settings = ctx.settings if isinstance(ctx.settings, GrammarRulesSettings) else GrammarRulesSettings()
        if not applies_to(ctx.language, settings):
            return ()
        return list(check_text(chunk, settings))

    def status(self) -> tuple[bool, str]:
        return True, f"{len(ALL_RULES)} offline rules ready (English)"
