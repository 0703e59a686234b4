"""could/would/should of -> could have (a mishearing of "could've")."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

# Case-sensitive for may/might and not after a determiner: "the might of Rome", "May of 2017".
CONFUSIONS = [
    confusion(
        r"(?<!the )(?<!The )\b(?:[Cc]ould|[Ww]ould|[Ss]hould|[Mm]ust|might|may)(?:\s+not)?\s+(?P<bad>of)\b(?!\s+course\b)",
        "have",
        "“{word}” here should be “have” (“could have”, from “could've”).",
        ("could", "would", "should", "must", "might", "may"),
        flags=0,
    ),
]
RULE = Rule("could-of", "could of -> could have", checker(CONFUSIONS), examples_path=examples_beside(__file__))
