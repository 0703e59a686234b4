"""Every offline grammar rule, by id (one rule per module, examples beside it)."""

from __future__ import annotations

from marginalia_grammar_rules.rules import (
    a_an,
    affect_effect,
    could_of,
    double_space,
    doubled_word,
    fewer_less,
    ie_eg,
    its_its,
    lose_loose,
    punctuation_space,
    repeated_punctuation,
    sentence_case,
    their_there,
    then_than,
)
from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions

ALL_RULES: tuple[Rule, ...] = tuple(
    m.RULE
    for m in (
        a_an,
        doubled_word,
        its_its,
        then_than,
        affect_effect,
        lose_loose,
        their_there,
        fewer_less,
        could_of,
        ie_eg,
        punctuation_space,
        double_space,
        sentence_case,
        repeated_punctuation,
    )
)
RULES_BY_ID = {r.id: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_ID", "Match", "Rule", "RuleOptions"]
