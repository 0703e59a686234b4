"""fewer (countable) vs. less (mass): only before plural nouns that are clearly counted."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

_COUNTED = (
    "people|items|words|things|samples|parameters|steps|errors|variables|points|cases|users|files|lines|iterations"
    "|examples|participants|observations|pages|bugs|features|rows|columns|nodes|edges|calls|requests|tests|options"
)
CONFUSIONS = [
    confusion(rf"\b(?P<bad>less)\s+(?=(?:{_COUNTED})\b)", "fewer", "Use “fewer” with things you count.", ("less",)),
]
RULE = Rule("fewer-less", "fewer vs. less", checker(CONFUSIONS), examples_path=examples_beside(__file__))
