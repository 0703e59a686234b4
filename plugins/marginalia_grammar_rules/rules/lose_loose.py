"""lose (misplace, fail to keep) vs. loose (not tight)."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

CONFUSIONS = [
    confusion(
        r"\b(?:to|will|would|can|could|may|might|not|don't|didn't|never|we|you|they|I)\s+(?P<bad>loose)\s+(?=(?:the|a|an|our|their|its|your|weight|track|sight|money|time|data|information|accuracy|precision|generality|much)\b)",
        "lose",
        "“{word}” means “not tight”; to fail to keep something is “lose”.",
        ("loose",),
    ),
    confusion(r"\b(?P<bad>lose)\s+(?=(?:ends?|coupling|fit|thread|bound|connection)\b)", "loose", "“{word} …” here should be “loose” (not tight).", ("lose",)),
]
RULE = Rule("lose-loose", "lose vs. loose", checker(CONFUSIONS), examples_path=examples_beside(__file__))
