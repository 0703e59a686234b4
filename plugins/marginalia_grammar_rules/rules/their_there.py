"""their (possessive) vs. there (place, existence) vs. they're (they are)."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

CONFUSIONS = [
    confusion(r"\b(?P<bad>their)\s+(?=(?:is|are|was|were|exists?|seems?)\b)", "there", "“{word}” is possessive; for existence write “there”.", ("their",)),
    confusion(r"\b(?P<bad>there|they['’]re)\s+(?=own\b)", "their", "The possessive is “their”.", ("there", "they")),
    confusion(r"\b(?P<bad>their)\s+(?=(?:going|not|being)\b)", "they're", "“{word}” is possessive; “they are” is “they're”.", ("their",)),
]
RULE = Rule("their-there", "their vs. there vs. they're", checker(CONFUSIONS), examples_path=examples_beside(__file__))
