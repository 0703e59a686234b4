"""Every offline grammar rule against its own incorrect/correct examples (LanguageTool style)."""

from __future__ import annotations

import pytest
from marginalia_grammar_rules import ALL_RULES, check_text
from marginalia_grammar_rules.examples import parse_example
from marginalia_grammar_rules.rules import Rule
from marginalia_grammar_rules.settings import GrammarRulesSettings


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_examples(rule: Rule) -> None:
    examples = rule.examples()
    assert examples.get("incorrect") and examples.get("correct"), f"{rule.id} needs incorrect and correct examples"
    for raw in examples["incorrect"]:
        ex = parse_example(raw)
        assert ex.expected is not None, f"{rule.id}: incorrect example without [[marker]]: {ex.source!r}"
        settings = GrammarRulesSettings(**ex.options)
        found = [f for f in check_text(ex.chunk, settings, [rule])]
        spans = [(f.start, f.end) for f in found]
        assert ex.expected in spans, f"{rule.id} missed {ex.source!r}: expected {ex.expected}, got {spans}"
        hit = found[spans.index(ex.expected)]
        if ex.replacement is not None:
            assert hit.replacements[:1] == (ex.replacement,), f"{rule.id} on {ex.source!r}: {hit.replacements}"
        assert len(found) == 1, f"{rule.id} reported more than the marked problem in {ex.source!r}: {spans}"
    for raw in examples["correct"]:
        ex = parse_example(raw)
        settings = GrammarRulesSettings(**ex.options)
        found = [(f.start, f.end, ex.source[f.start : f.end]) for f in check_text(ex.chunk, settings, [rule])]
        assert not found, f"{rule.id} false alarm on {ex.source!r}: {found}"


def test_rule_ids_are_unique_and_prefixed() -> None:
    ids = [r.id for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    ex = parse_example("We saw the[[ the]] results.")
    (finding,) = check_text(ex.chunk)
    assert finding.rule == "grammar-rules.doubled-word"
