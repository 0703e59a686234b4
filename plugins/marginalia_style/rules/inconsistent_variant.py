"""Two spellings of one word in one document: color/colour, modeling/modelling, data set/dataset.

The spelling used less often is reported, with the one used more often as
the fix (on a tie, the one used first wins).  Spellings are listed in
:mod:`marginalia_style.variants`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from marginalia_style import variants
from marginalia_style.facts import DocumentFacts
from marginalia_style.rules.base import DocumentRule, Located, Match, examples_beside, replacement_for
from marginalia_style.settings import StyleSettings


def report(chunks: DocumentFacts, settings: StyleSettings) -> Iterator[Located]:
    """Each use of a family's minority spelling, with the majority spelling as the fix (a tie: the first one used wins)."""
    counts: dict[str, Counter[str]] = {}
    first_seen: dict[str, dict[str, int]] = {}
    order = 0
    for _, facts in chunks:
        for use in facts.variants:
            family, system = use.form.family, use.form.system
            per_family = counts.get(family)
            if per_family is None:  # not setdefault(family, Counter()): a Counter per use was most of the cost
                per_family = counts[family] = Counter()
                first_seen[family] = {}
            per_family[system] += 1
            first_seen[family].setdefault(system, order)
            order += 1
    majority: dict[str, str] = {}
    for family, systems in counts.items():
        if len(systems) > 1:
            majority[family] = max(systems, key=lambda s: (systems[s], -first_seen[family][s]))
    if not majority:
        return
    for chunk, facts in chunks:
        for use in facts.variants:
            winner = majority.get(use.form.family)
            if winner is None or use.form.system == winner:
                continue
            fix = variants.convert(use.form, winner)
            if fix is None:
                continue
            n, total = counts[use.form.family][winner], sum(counts[use.form.family].values())
            message = f"“{' '.join(use.text.split())}” and “{fix}” are both used in this document ({n} of {total} times “{variants.FAMILIES[use.form.family][winner][0]}”); keep one spelling."
            yield chunk, Match(use.start, use.end, message, (replacement_for(use.text, fix),))


RULE = DocumentRule("inconsistent-variant", "A word is spelt two ways in one document", report, examples_path=examples_beside(__file__), explanation=__doc__ or "")
