"""A chunk as the style rules read it: words, sentences, and spans safe to report.

Built on the grammar rules' :class:`ChunkText` (same token regex, same placeholder
marks, same English guard) and adds what style needs on top: sentence bounds,
and the typed stretches of a span, so a finding on a long sentence never
covers a citation or a macro.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from marginalia_grammar_rules.text import ChunkText
from marginalia_grammar_rules.text import Token as StyleToken

from lsp_server.documents.model import Chunk, PieceKind

# Abbreviations after which a full stop does not end a sentence (lower case, without the final dot).
# Not "ms", "min", "max": in science writing they are units that end sentences ("in steps of 5 ms.").
ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "secs", "approx", "resp", "no", "nos", "dr", "mr", "mrs", "prof", "ca", "viz", "ch", "chap", "p", "pp", "vol", "vols", "ed", "eds", "ref", "refs", "tab", "thm", "lem", "def", "prop", "cor", "alg", "app", "seq", "incl", "w.r.t", "wrt", "st", "op", "cit", "ibid", "jr", "sr", "inc", "ltd", "co", "dept", "univ", "est", "avg", "std", "var", "a.k.a", "n.b", "u.s", "u.k", "ph.d", "b.sc", "m.sc", "a.m", "p.m", "ex", "esp", "excl", "lit", "abbr", "num", "nr", "art", "para", "sect", "fn", "sp", "spp", "gen", "et"]
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_WORD_BEFORE = re.compile(r"([\w.]+?)\.*$")

# Function words: never "content", never a repetition, never lexical variety.
STOP_WORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my", "myself", "neither", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "per", "same", "shall", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "therefore", "these", "they", "this", "those", "though", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "let", "lets", "let's", "it's", "don't", "doesn't", "isn't", "aren't", "can't", "cannot", "won't", "we're", "they're", "i.e", "e.g", "etc"]
)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    # Indices into ``StyleText.tokens`` of the sentence's tokens: [first, last).
    first: int
    last: int


class StyleText:
    """One chunk, read once, shared by every style rule.

    Placeholder marks, typed spans and the English guard come from the grammar rules'
    :class:`ChunkText`, so both plugins agree on what is markup and what is English.
    """

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.text = chunk.text
        self._view = ChunkText(chunk)
        self._piece_starts = self._view.piece_starts

    def placeholder_at(self, offset: int) -> PieceKind | None:
        return self._view.placeholder_at(offset)

    def typed(self, start: int, end: int) -> bool:
        return self._view.typed(start, end)

    def source_contiguous(self, start: int, end: int) -> bool:
        return self._view.source_contiguous(start, end)

    @cached_property
    def looks_english(self) -> bool:
        return self._view.looks_english

    @property
    def tokens(self) -> list[StyleToken]:
        """Tokens, shared with the grammar rules' reading of the same chunk."""
        return self._view.tokens

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token starting at ``offset`` (None if none starts there)."""
        i = bisect.bisect_left(self.token_starts, offset)
        return i if i < len(self.token_starts) and self.token_starts[i] == offset else None

    @cached_property
    def words(self) -> list[StyleToken]:
        """Tokens the writer typed as words (no placeholders, no numbers)."""
        return [t for t in self.tokens if t.is_word]

    @property
    def lowers(self) -> list[str]:
        """``tokens[i].lower``, computed once (the rules read it for every token)."""
        return self._view.lowers

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentence bounds: a typed . ! ? before a space, not after an abbreviation or an initial."""
        s = self.text
        bounds: list[tuple[int, int]] = []
        start = 0
        for m in _END.finditer(s):
            if m.group()[0] == "." and len(m.group().rstrip("\"'”’)]")) == 1:
                before = _WORD_BEFORE.search(s, max(0, m.start() - 12), m.start())
                prev = before.group(1).lower() if before else ""
                if self.placeholder_at(m.start() - 1) is None and (prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha())):
                    continue  # "e.g.", "et al.", an initial; a formula read as "X" ends a sentence like a word
            if not self.typed(m.start(), m.start() + 1):
                continue  # a full stop inside math or a macro's reading
            bounds.append((start, m.end()))
            start = m.end()
        if s[start:].strip():
            bounds.append((start, len(s)))
        out: list[Sentence] = []
        starts = self.token_starts
        i = 0
        for a, b in bounds:
            while a < b and s[a].isspace():
                a += 1
            first = i
            i = bisect.bisect_left(starts, b, lo=i)  # the first token starting at or after b
            if a < b:
                out.append(Sentence(a, b, first, i))
        return out

    def typed_runs(self, start: int, end: int) -> list[tuple[int, int]]:
        """Maximal stretches of ``text[start:end]`` that map to typed source without markup
        between them: the only spans a finding may cover."""
        runs: list[tuple[int, int]] = []
        pieces = self.chunk.pieces
        first = max(0, bisect.bisect_right(self._piece_starts, start) - 1)
        for p in itertools.islice(pieces, first, None):
            if p.prose_start >= end:
                break
            if p.prose_end <= start:
                continue
            if p.kind.is_placeholder:
                runs.append((-1, -1))  # a break
                continue
            a, b = max(start, p.prose_start), min(end, p.prose_end)
            if runs and runs[-1][1] == a and self._joined(a):
                runs[-1] = (runs[-1][0], b)
            else:
                runs.append((a, b))
        return [r for r in runs if r[0] >= 0 and r[1] > r[0]]

    def _joined(self, offset: int) -> bool:
        """Are the pieces ending and starting at ``offset`` adjacent in the source?"""
        before = self._view.piece_at(offset - 1)
        after = self._view.piece_at(offset)
        return before is not None and after is not None and before.src_end == after.src_start

    def reportable_prefix(self, start: int, end: int) -> tuple[int, int] | None:
        """The first typed stretch of a span, trimmed to whole words: where a finding about
        a whole sentence or paragraph is anchored."""
        words, starts = self.words, self._word_starts
        for a, b in self.typed_runs(start, end):
            i = bisect.bisect_left(starts, a)
            j = i
            while j < len(words) and words[j].end <= b:
                j += 1
            if j > i:
                return words[i].start, words[j - 1].end
        return None

    @cached_property
    def token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @cached_property
    def _word_starts(self) -> list[int]:
        return [t.start for t in self.words]

    @cached_property
    def sentence_starts(self) -> frozenset[int]:
        """Indices (into ``tokens``) of each sentence's first token."""
        return frozenset(s.first for s in self.sentences)


def is_content(token: StyleToken) -> bool:
    """A word that carries meaning (not a function word)."""
    return token.is_word and token.lower not in STOP_WORDS


def normalise(phrase: str) -> str:
    return " ".join(phrase.lower().split())


class PhraseIndex:
    """Whole phrases, case-insensitive, found by their first word: a dictionary look-up per word
    instead of a many-branch regex tried at every character.  Words may be split by any white
    space (a line break in the source); the longest phrase at a word wins.

    Each first word's pattern is compiled the first time a text contains that word: the
    variant spellings alone have over a thousand first words, and compiling them all at
    import cost a second of start-up for the few dozen a document uses."""

    def __init__(self, phrases: Iterable[str]) -> None:
        by_first: dict[str, list[str]] = {}
        for p in {normalise(p) for p in phrases}:
            by_first.setdefault(p.split()[0], []).append(p)
        # first word -> its pattern's source, replaced by the compiled pattern on first use
        # (two threads racing only compile one pattern twice).
        self._patterns: dict[str, str | re.Pattern[str]] = {
            first: "(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(group, key=len, reverse=True)) + r")(?![\w'’-])"
            for first, group in by_first.items()
        }

    def finditer(self, text: StyleText) -> Iterator[re.Match[str]]:
        patterns = self._patterns
        s = text.text
        tokens = text.tokens
        after = 0  # matches do not overlap: "the tip of the iceberg" once, not also "tip of the iceberg"
        for i, low in enumerate(text.lowers):
            pattern = patterns.get(low)
            if pattern is None or tokens[i].start < after or tokens[i].placeholder is not None:
                continue
            if isinstance(pattern, str):
                pattern = patterns[low] = re.compile(pattern, re.IGNORECASE)
            m = pattern.match(s, tokens[i].start)
            if m is not None:
                after = m.end()
                yield m
