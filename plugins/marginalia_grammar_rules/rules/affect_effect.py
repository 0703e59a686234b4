"""affect (verb) vs. effect (noun); "affect" the noun is psychology jargon, so only clear cases."""

from marginalia_grammar_rules.rules.base import Rule, examples_beside
from marginalia_grammar_rules.rules.confusion import checker, confusion

CONFUSIONS = [
    confusion(
        r"\b(?:an|the|no|any|significant|positive|negative|little|large|small|strong|side|main|causal|this|that)\s+(?P<bad>affects?)\s+(?=(?:on|of)\b)",
        "effect",
        "The noun is “effect” (“an effect on”).",
        ("affect",),
    ),
    confusion(
        r"\b(?:will|would|can|could|may|might|not|does|did|do|also|strongly|negatively|positively|directly)\s+(?P<bad>effect)\s+(?=(?:the|our|their|its|this|these|those|how|whether|both|all)\b)",
        "affect",
        "The verb meaning “to influence” is “affect”.",
        ("effect",),
    ),
]
RULE = Rule("affect-effect", "affect vs. effect", checker(CONFUSIONS), examples_path=examples_beside(__file__))
