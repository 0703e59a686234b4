"""Every style rule against its own incorrect/correct examples (LanguageTool style).

Per-paragraph rules read the example as one chunk (``$...$`` and ``\\macro{}``
become placeholders); document rules read it as a Markdown document, so blank
lines make separate paragraphs.  An incorrect example must give exactly the
marked finding (with its first replacement when one is given), a correct one none.
"""

from __future__ import annotations

from typing import Any

import pytest
from marginalia_grammar_rules.examples import Example, parse_example
from marginalia_style import CHUNK_RULES, DOCUMENT_RULES, StylePlugin, check_chunk_rules
from marginalia_style.plugin import rule_id
from marginalia_style.rules import DocumentRule, Rule
from marginalia_style.settings import StyleSettings

from lsp_server.documents import parse_document
from lsp_server.plugin import CheckContext, Finding


def _chunk_findings(rule: Rule, ex: Example) -> list[Finding]:
    return list(check_chunk_rules(ex.chunk, StyleSettings(**ex.options), [rule]))


def _document_findings(rule: DocumentRule, ex: Example) -> list[Finding]:
    doc = parse_document(ex.source, "markdown", "file:///example.md")
    ctx = CheckContext(settings=StyleSettings(**ex.options), language="en-US")
    return [f for f in StylePlugin().check_document(doc, ctx) if f.rule == rule_id(rule)]


def _check_examples(rule: Rule | DocumentRule, run: Any) -> None:
    examples = rule.examples()
    assert examples.get("incorrect") and examples.get("correct"), f"{rule.id} needs incorrect and correct examples"
    for raw in examples["incorrect"]:
        ex = parse_example(raw)
        assert ex.expected is not None, f"{rule.id}: incorrect example without [[marker]]: {ex.source!r}"
        found = run(rule, ex)
        spans = [(f.start, f.end) for f in found]
        assert spans == [ex.expected], f"{rule.id} on {ex.source!r}: expected only {ex.expected}, got {spans}"
        if isinstance(raw, list) and len(raw) > 1:
            want = () if ex.replacement is None else (ex.replacement,)
            assert found[0].replacements[:1] == want, f"{rule.id} on {ex.source!r}: {found[0].replacements}"
    for raw in examples["correct"]:
        ex = parse_example(raw)
        found = [(f.start, f.end, ex.source[f.start : f.end]) for f in run(rule, ex)]
        assert not found, f"{rule.id} false alarm on {ex.source!r}: {found}"


@pytest.mark.parametrize("rule", CHUNK_RULES, ids=lambda r: r.id)
def test_chunk_rule_examples(rule: Rule) -> None:
    _check_examples(rule, _chunk_findings)


@pytest.mark.parametrize("rule", DOCUMENT_RULES, ids=lambda r: r.id)
def test_document_rule_examples(rule: DocumentRule) -> None:
    _check_examples(rule, _document_findings)


def test_rule_ids_are_unique_and_prefixed() -> None:
    rules: list[Rule | DocumentRule] = [*CHUNK_RULES, *DOCUMENT_RULES]
    ids = [rule_id(r) for r in rules]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("style.") for i in ids)
    ex = parse_example("We did it [[in order to]] test it.")
    (finding,) = check_chunk_rules(ex.chunk)
    assert (finding.rule, finding.plugin) == ("style.wordy-phrase", "style")
