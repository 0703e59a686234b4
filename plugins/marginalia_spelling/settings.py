"""Settings of the spelling plugin (``[spelling]`` in ``.marginalia.toml``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lsp_server.config import restricted


@dataclass
class SpellingSettings:
    """Every field has a default; a bad value falls back to it with a message (core's job)."""

    # Words accepted in this workspace besides the dictionary files (same case rules).
    ignore_words: list[str] = field(default_factory=list)
    # Shorter words are never flagged (single letters are variables and initials).
    min_word_length: int = field(default=2, metadata={"minimum": 1, "maximum": 100})
    # Capitalised words mid-sentence are usually names: flag them (as info) or skip them.
    check_capitalized: bool = True
    # NASA, GPU, GPUs: acronyms are rarely in a dictionary.
    ignore_all_caps: bool = True
    # Accept words missing from Hunspell that are in common use (wordfreq) and are not a slip
    # of a much more common word: technical terms such as "excitatory", "changelog".
    accept_frequent_words: bool = True
    # How many replacements a quick fix offers.
    max_suggestions: int = field(default=5, metadata={"minimum": 0, "maximum": 20})
    # Extra Hunspell dictionaries: folders holding <lang>.dic/.aff pairs, or .dic files.
    # Relative paths are read from the workspace root. They win over bundled and system ones.
    dictionaries: list[str] = field(default_factory=list, metadata=restricted())
