"""Settings of the style checks (under ``style`` in the configuration)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StyleSettings:
    """Style checks for academic prose. Rules are turned off by id in ``disabled_rules``
    (e.g. "style.passive-voice"); these settings tune the rules themselves."""

    # A sentence with more words than this is reported as long.
    long_sentence_words: int = field(default=40, metadata={"minimum": 5})
    # Severity per rule name (without the "style." prefix): "hint", "info", "warning" or "error".
    severity: dict[str, str] = field(default_factory=dict)
    # Paragraphs with fewer words than this are not judged for lexical variety.
    variety_min_words: int = field(default=80, metadata={"minimum": 20})
    # Moving-average type/token ratio (50-word windows) below which a paragraph is reported.
    variety_threshold: float = field(default=0.5, metadata={"minimum": 0.0, "maximum": 1.0})
    # Sentences that count as "nearby" for a repeated word (this sentence and the ones before it).
    repetition_window: int = field(default=2, metadata={"minimum": 1, "maximum": 5})
    # Acronyms never reported as used before their definition (added to a built-in list: PDF, URL, ...).
    known_acronyms: list[str] = field(default_factory=list)
    # Languages the rules are written for (prefixes of the document's BCP-47 tag).
    languages: list[str] = field(default_factory=lambda: ["en"])
