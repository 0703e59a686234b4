"""The ``style`` plugin: per-paragraph style rules in ``check_chunk``, document-wide ones in ``check_document``."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import partial
from typing import ClassVar

from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.plugin import CheckContext, Finding, Plugin, Severity
from marginalia_style.document_memo import DocumentRuleMemo
from marginalia_style.facts import FactsCache
from marginalia_style.prose import StyleText
from marginalia_style.rules import CHUNK_RULES, DOCUMENT_RULES
from marginalia_style.rules.base import DocumentRule, Match, Rule
from marginalia_style.settings import StyleSettings

PLUGIN_NAME = "style"
log = logging.getLogger(__name__)


def rule_id(rule: Rule | DocumentRule) -> str:
    return f"{PLUGIN_NAME}.{rule.id}"


def applies_to(language: str, settings: StyleSettings) -> bool:
    lang = language.lower()
    return any(lang == p.lower() or lang.startswith(p.lower() + "-") for p in settings.languages)


def severity_of(rule: Rule | DocumentRule, settings: StyleSettings) -> Severity:
    name = settings.severity.get(rule.id) or settings.severity.get(rule_id(rule))
    if name:
        try:
            return Severity.parse(name)
        except KeyError:
            log.warning("style.severity.%s: %r is not one of hint, info, warning, error", rule.id, name)
    return rule.severity


def _finding(chunk: Chunk, rule: Rule | DocumentRule, m: Match, settings: StyleSettings) -> Finding:
    start, end = chunk.to_source(m.start, m.end)
    return Finding(
        start,
        end,
        rule_id(rule),
        m.message,
        severity_of(rule, settings),
        m.replacements[:5],
        PLUGIN_NAME,
        explanation=" ".join((rule.explanation or rule.description).split()),
        data={"prose": chunk.text[m.start : m.end]},
    )


def check_chunk_rules(
    chunk: Chunk, settings: StyleSettings | None = None, rules: Iterable[Rule] = CHUNK_RULES, text: StyleText | None = None
) -> Iterator[Finding]:
    """Findings of the per-paragraph ``rules`` on one chunk, in source offsets (English chunks only)."""
    settings = settings or StyleSettings()
    text = text or StyleText(chunk)
    if not text.looks_english:
        return
    for rule in rules:
        if chunk.role in rule.skip_roles:
            continue
        for m in rule.check(text, settings):
            if text.source_contiguous(m.start, m.end):  # never a finding over markup
                yield _finding(chunk, rule, m, settings)


class StylePlugin(Plugin):
    """Long sentences, repetition, passive voice, hedges, wordy phrases, clichés, consistency, acronyms."""

    name: ClassVar[str] = PLUGIN_NAME
    Settings: ClassVar[type] = StyleSettings
    time_limit: ClassVar[float] = 5.0

    def __init__(self) -> None:
        self.facts = FactsCache()
        self.memo = DocumentRuleMemo()

    @staticmethod
    def _settings(ctx: CheckContext) -> StyleSettings:
        return ctx.settings if isinstance(ctx.settings, StyleSettings) else StyleSettings()

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        settings = self._settings(ctx)
        if not applies_to(ctx.language, settings):
            return ()
        text = StyleText(chunk)
        found = list(check_chunk_rules(chunk, settings, text=text))
        self.facts.remember(chunk, text)  # check_document will need them: the tokens are read once
        return found

    def check_document(self, doc: ProseDocument, ctx: CheckContext) -> Iterable[Finding]:
        settings = self._settings(ctx)
        if not applies_to(ctx.language, settings):
            return ()
        disabled = set(getattr(ctx.core, "disabled_rules", ()) or ())
        rules = [r for r in DOCUMENT_RULES if not ({PLUGIN_NAME, rule_id(r)} & disabled)]
        if not rules:
            return ()
        facts = [(c, f) for c, f in zip(doc.chunks, self.facts.facts_for(doc.chunks), strict=True) if f.english and (f.variants or f.acronyms)]
        out: list[Finding] = []
        make = partial(_finding, settings=settings)
        for rule in rules:
            severity = severity_of(rule, settings)
            out.extend(self.memo.finding(chunk, rule, m, severity, make) for chunk, m in self.memo.located(rule, facts, settings, doc.uri))
        return out

    def status(self) -> tuple[bool, str]:
        return True, f"{len(CHUNK_RULES) + len(DOCUMENT_RULES)} style rules ready (English)"
