"""Offline grammar rules (Harper-like): a/an, doubled words, common confusions,
punctuation spacing, sentence case, repeated punctuation.  Pure Python, per chunk."""

from marginalia_grammar_rules.plugin import GrammarRulesPlugin, check_text
from marginalia_grammar_rules.rules import ALL_RULES, RULES_BY_ID

__all__ = ["ALL_RULES", "RULES_BY_ID", "GrammarRulesPlugin", "check_text"]
