"""Settings of the offline grammar rules (under ``grammar-rules`` in the configuration)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GrammarRulesSettings:
    """Fast offline grammar checks (no Java). Rules are turned off by id in ``disabled_rules``
    (e.g. "grammar-rules.sentence-case"); these settings tune the rules themselves."""

    # US style: "i.e., the mean" rather than "i.e. the mean".
    comma_after_ie_eg: bool = False
    # Languages the rules are written for (prefixes of the document's BCP-47 tag).
    languages: list[str] = field(default_factory=lambda: ["en"])
