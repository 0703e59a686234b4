"""The spelling plugin: offline Hunspell dictionaries read by spylls.

``check_chunk`` only looks words up (cached per distinct word; from a
precompiled lexicon, so spylls is not parsed at start), so a book checks in
about a second; suggestions cost far more and are computed only when the
editor asks for quick fixes (:meth:`SpellingPlugin.actions`); spylls is
parsed (about a second, once) only when one of them needs Hunspell's own
suggestions.  Parsing it in the background as soon as quick fixes are asked
for was measured: it slowed the first quick fix more than it sped up later ones.
"""

from __future__ import annotations

import bisect
import importlib.util
import logging
import threading
from functools import lru_cache
from pathlib import Path

from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.plugin import Action, CheckContext, Finding, Plugin, Severity
from marginalia_spelling.checker import Checker, accepted_words
from marginalia_spelling.dictionaries import DICTIONARIES, DictionaryFile, SpellDictionary, find_dictionary
from marginalia_spelling.ranking import Ranker
from marginalia_spelling.settings import SpellingSettings
from marginalia_spelling.tokens import Word, is_shifted_capital, iter_words

log = logging.getLogger(__name__)

RULE = "spelling.misspelled"
ADD_TO_DICTIONARY = "marginalia.addToDictionary"


@lru_cache(maxsize=64)
def _locate(language: str, extra: tuple[Path, ...]) -> DictionaryFile | None:
    """Scanning folders on every paragraph would dominate the check: once per (language, paths)."""
    return find_dictionary(language, extra)


def _skipped_spans(chunk: Chunk, skip_decoded_letters: bool) -> list[tuple[int, int]]:
    """Prose spans no word may touch, sorted: placeholders (``$n$-th`` is not a word to judge),
    points where markup was dropped inside a run of letters (``direct\\tablenotemark{a}`` reads
    ``directa``; a finding there would cover markup), and, for English, letters decoded from
    accent macros (``c\\'elerit\\'e``: foreign words and names, not English misspellings)."""
    spans = []
    prev = None
    for p in chunk.pieces:
        if p.kind.is_placeholder or (skip_decoded_letters and not p.exact and chunk.text[p.prose_start : p.prose_end].isalpha()):
            spans.append((p.prose_start, p.prose_end))
        elif prev is not None and prev.exact and p.exact and prev.src_end != p.src_start:
            spans.append((p.prose_start, p.prose_start))  # zero width: a word may end or start here
        prev = p
    return spans


def _words_outside(words: list[Word], spans: list[tuple[int, int]]) -> list[Word]:
    if not spans:
        return words
    starts = [s for s, _ in spans]
    kept = []
    for w in words:
        i = bisect.bisect_left(starts, w.end) - 1  # the last span starting before the word ends
        if i >= 0 and spans[i][1] > w.start:
            continue
        kept.append(w)
    return kept


class SpellingPlugin(Plugin):
    """Flags words missing from the document language's Hunspell dictionary."""

    name = "spelling"
    Settings = SpellingSettings

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: dict[str, DictionaryFile] = {}
        self._missing: set[str] = set()
        self._errors: dict[Path, str] = {}
        self._verdict_caches: dict[tuple[Path, str, frozenset[str]], dict[str, tuple[tuple[int, str], ...]]] = {}
        self._rankers: dict[Path, Ranker] = {}

    # -- dictionaries ----------------------------------------------------------
    @staticmethod
    def _settings(ctx: CheckContext) -> SpellingSettings:
        return ctx.settings if isinstance(ctx.settings, SpellingSettings) else SpellingSettings()

    @staticmethod
    def _extra_paths(settings: SpellingSettings, root: Path | None) -> tuple[Path, ...]:
        out = []
        for raw in settings.dictionaries:
            p = Path(raw).expanduser()
            out.append(p if p.is_absolute() or root is None else root / p)
        return tuple(out)

    def dictionary_for(self, ctx: CheckContext) -> SpellDictionary | None:
        """The loaded dictionary for ``ctx.language``, or None (said once, in :meth:`status`)."""
        source = _locate(ctx.language, self._extra_paths(self._settings(ctx), ctx.workspace_root))
        if source is None:
            with self._lock:
                if ctx.language not in self._missing:
                    self._missing.add(ctx.language)
                    log.warning("spelling: no Hunspell dictionary for %r; its documents are not spell-checked", ctx.language)
            return None
        loaded = DICTIONARIES.get(source)
        with self._lock:
            self._used[ctx.language] = source
            if loaded is None:
                self._errors[source.dic] = DICTIONARIES.errors.get(source.dic.resolve(), f"{source.dic}: not loaded")
        return loaded

    def _ranker(self, dictionary: SpellDictionary) -> Ranker:
        with self._lock:
            key = dictionary.source.dic
            if key not in self._rankers:
                self._rankers[key] = Ranker(dictionary)
            return self._rankers[key]

    def _verdicts(self, dictionary: SpellDictionary, settings: SpellingSettings, ctx: CheckContext) -> dict[str, tuple[tuple[int, str], ...]]:
        """Per-word verdicts, kept across paragraphs while dictionary, settings and accepted words stay the same."""
        key = (dictionary.source.dic, repr(settings), ctx.dictionary)
        with self._lock:
            found = self._verdict_caches.get(key)
            if found is None:
                if len(self._verdict_caches) >= 8:
                    self._verdict_caches.pop(next(iter(self._verdict_caches)))
                found = self._verdict_caches[key] = {}
            return found

    # -- checking --------------------------------------------------------------
    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> list[Finding]:
        dictionary = self.dictionary_for(ctx)
        if dictionary is None:
            return []
        settings = self._settings(ctx)
        accepted = accepted_words(ctx.dictionary, tuple(settings.ignore_words))
        english = dictionary.source.name.lower().startswith("en")
        words = _words_outside(list(iter_words(chunk.text)), _skipped_spans(chunk, english))
        tag = dictionary.source.tag
        findings = []
        checker = Checker(dictionary, settings, accepted, self._ranker(dictionary), self._verdicts(dictionary, settings, ctx))
        for m in checker.check(chunk.text, words):
            start, end = chunk.to_source(m.start, m.end)
            message = f"'{m.word}' is not in the {tag} dictionary" + (" (a name?)" if m.maybe_name else "")
            severity = Severity.INFO if m.maybe_name else Severity.WARNING
            findings.append(Finding(start, end, RULE, message, severity, data={"word": m.word, "language": tag}))
        return findings

    # -- quick fixes -----------------------------------------------------------
    def suggestions(self, word: str, ctx: CheckContext) -> list[str]:
        dictionary = self.dictionary_for(ctx)
        if dictionary is None:
            return []
        limit = self._settings(ctx).max_suggestions
        ranked = self._ranker(dictionary).suggest(word, limit)
        if is_shifted_capital(word) and dictionary.lookup(word.capitalize()):
            ranked = [word.capitalize(), *(s for s in ranked if s != word.capitalize())]  # THe -> The
        return ranked[:limit]

    def actions(self, doc: ProseDocument, finding: Finding, ctx: CheckContext) -> list[Action]:
        if finding.rule != RULE:
            return []
        data = finding.data or {}
        word = str(data.get("word") or doc.source[finding.start : finding.end])
        out = [
            Action(title=f"Replace with '{s}'", edit=(finding.start, finding.end, s), preferred=i == 0)
            for i, s in enumerate(self.suggestions(word, ctx))
        ]
        out.append(Action(title=f"Add '{word}' to dictionary", command=ADD_TO_DICTIONARY, arguments=(word,)))
        return out

    @staticmethod
    def _how_read(source: DictionaryFile) -> str:
        loaded = DICTIONARIES.get(source)  # already loaded: it was used
        if loaded is None or loaded.lexicon is None:
            return ""
        return ", precompiled lexicon" + ("" if loaded.spylls_loaded else "; spylls not loaded yet")

    def status(self) -> tuple[bool, str]:
        with self._lock:
            used = dict(self._used)
            missing = sorted(self._missing)
            errors = list(self._errors.values())
        parts = [f"{lang}: {src.dic} ({src.origin}{self._how_read(src)})" for lang, src in sorted(used.items())]
        if not parts:
            parts.append("en-US and en-GB bundled; other languages from installed Hunspell dictionaries")
        for lang in missing:
            parts.append(
                f"no Hunspell dictionary for '{lang}' (install e.g. hunspell-{lang.split('-')[0].lower()} "
                "or list a folder in spelling.dictionaries, then restart): nothing is flagged in that language"
            )
        if importlib.util.find_spec("wordfreq") is None:
            parts.append("wordfreq is not installed: suggestions keep Hunspell's order and technical words are flagged")
        parts += errors
        return not errors, "; ".join(parts)
