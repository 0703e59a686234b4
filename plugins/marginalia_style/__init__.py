"""Style checks for academic English: long sentences, repetition, passive voice, hedges,
wordy phrases, clichés, intensified absolutes, inconsistent spellings, undefined acronyms."""

from marginalia_style.plugin import StylePlugin, check_chunk_rules
from marginalia_style.rules import ALL_RULE_IDS, CHUNK_RULES, DOCUMENT_RULES

__all__ = ["ALL_RULE_IDS", "CHUNK_RULES", "DOCUMENT_RULES", "StylePlugin", "check_chunk_rules"]
