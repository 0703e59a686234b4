"""its (possessive) vs. it's (it is / it has)."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

_APOS = "['’]"
CONFUSIONS = [
    confusion(rf"\b(?P<bad>it{_APOS}s)\s+own\b", "its", "“{word} own”: the possessive is “its” (no apostrophe).", ("it's", "it’s")),
    confusion(
        r"\b(?P<bad>its)\s+(?=(?:a|an|the|not|been|going|also)\b)",
        "it's",
        "“{word}” here means “it is” or “it has”: write “{fix}”.",
        ("its",),
    ),
]
RULE = Rule("its-its", "its vs. it's", checker(CONFUSIONS), examples_path=examples_beside(__file__))
