"""then (time, sequence) vs. than (comparison)."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

_COMPARATIVES = (
    "more|less|better|worse|rather|greater|fewer|larger|smaller|higher|lower|faster|slower|bigger|longer|shorter"
    "|easier|harder|stronger|weaker|older|younger|cheaper|simpler|wider|narrower|deeper|heavier|lighter|other|different"
)
CONFUSIONS = [
    confusion(rf"\b(?:{_COMPARATIVES})\s+(?P<bad>then)\b", "than", "Comparisons take “than”, not “{word}”.", ("then",)),
    confusion(r"\b(?:since|until|till|by|back|just|even|and|only)\s+(?P<bad>than)\b(?!\s+(?:that|those|the)\b)", "then",
              "“{word}” compares; for a point in time write “then”.", ("than",)),
]
RULE = Rule("then-than", "then vs. than", checker(CONFUSIONS), examples_path=examples_beside(__file__))
