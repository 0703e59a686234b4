"""One problem, one diagnostic: LanguageTool matches that an offline rule already reports are dropped.

The offline rules answer in milliseconds and are always there, so they keep the
diagnostic; a LanguageTool match is a duplicate when it covers the same words
and either comes from the equivalent LanguageTool rule or proposes the same fix.
"""

from __future__ import annotations

from collections.abc import Iterable

from marginalia_grammar_rules import check_text
from marginalia_grammar_rules.plugin import PLUGIN_NAME as RULES_PLUGIN
from marginalia_grammar_rules.plugin import applies_to
from marginalia_grammar_rules.settings import GrammarRulesSettings

from lsp_server.documents.model import Chunk
from lsp_server.engine import rule_matches
from lsp_server.plugin import CheckContext, Finding

# LanguageTool rule id -> the offline rule that reports the same thing.
EQUIVALENT = {
    "EN_A_VS_AN": "a-an",
    "ENGLISH_WORD_REPEAT_RULE": "doubled-word",
    "WORD_REPEAT_RULE": "doubled-word",
    "COMMA_PARENTHESIS_WHITESPACE": "punctuation-space",
    "WHITESPACE_RULE": "punctuation-space",
    "UPPERCASE_SENTENCE_START": "sentence-case",
    "DOUBLE_PUNCTUATION": "repeated-punctuation",
    "PUNCTUATION_PARAGRAPH_END": "repeated-punctuation",
    "IT_IS": "its-its",
    "ITS_IT_IS": "its-its",
    "THAN_THEN": "then-than",
    "THEN_THAN": "then-than",
    "AFFECT_EFFECT": "affect-effect",
    "LOOSE_LOSE": "lose-loose",
    "THEIR_IS": "their-there",
    "FEWER_LESS": "fewer-less",
    "LESS_COMPARATIVE": "fewer-less",
    "COULD_OF": "could-of",
    "WOULD_OF": "could-of",
    "I_E": "ie-eg",
    "E_G": "ie-eg",
}


def offline_findings(chunk: Chunk, ctx: CheckContext) -> list[Finding]:
    """What the ``grammar-rules`` plugin reports on ``chunk`` under the current core settings;
    nothing when it does not run here (disabled, not installed, or left out by ``--plugins``)."""
    core = ctx.core
    if RULES_PLUGIN not in ctx.active_plugins:
        return []
    settings = GrammarRulesSettings()
    if not applies_to(ctx.language, settings):
        return []
    disabled = list(getattr(core, "disabled_rules", ()) if core is not None else ())
    return [f for f in check_text(chunk, settings) if not rule_matches(f.rule, disabled)]


def is_duplicate(lt_rule: str, start: int, end: int, replacements: Iterable[str], offline: list[Finding]) -> bool:
    fixes = set(replacements)
    for f in offline:
        if (f.start >= end or start >= f.end) and not (start == end == f.start):
            continue
        same_rule = EQUIVALENT.get(lt_rule) == f.rule.removeprefix(RULES_PLUGIN + ".")
        if same_rule or fixes & set(f.replacements):
            return True
    return False
