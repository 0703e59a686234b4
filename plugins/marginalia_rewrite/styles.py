"""The rewrites offered, as instructions to an instruct model."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    key: str
    title: str
    instruction: str


STYLES: dict[str, Style] = {
    s.key: s
    for s in (
        Style("grammar", "fix grammar", "Correct the grammar, spelling and punctuation of the text. Change as little as possible."),
        Style("concise", "more concise", "Make the text more concise without losing any information."),
        Style("formal", "more formal", "Rewrite the text in a more formal, academic register."),
        Style("simpler", "simpler", "Rewrite the text in simpler, plainer words and shorter sentences."),
        Style("paraphrase", "paraphrase", "Paraphrase the text, keeping its meaning."),
    )
}

SYSTEM = (
    "You are a careful copy editor of scientific writing. Markers such as ⟦1⟧ stand for formulas, "
    "citations, references and markup: keep every marker exactly once, unchanged, in the same place "
    "relative to the words around it. Do not add markup. Reply with the rewritten text only."
)
