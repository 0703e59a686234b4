"""Precompiled word lists that answer spylls' ``lookup`` without parsing the dictionary.

spylls needs about a second to parse a Hunspell ``.dic``/``.aff`` pair, which
would dominate the time to a document's first diagnostics.  A *lexicon* is
built once from the same pair (:mod:`marginalia_spelling.lexicon_build`) and
holds:

* every form the affix rules can produce, lower-cased, each with spylls' own
  verdict on its lower-case, Capitalised and UPPER-CASE renderings;
* spylls' verdict on the forms spelt with inner capitals (``McDonald's``);
* what :meth:`Lexicon.lookup` needs to replay the outer steps of
  ``spylls.hunspell.algo.lookup.Lookup.__call__`` (input conversion, ignored
  characters, numbers, BREAK patterns, forbidden words) and to prove a word
  wrong: a word whose lower-case form is not among the forms, and which
  cannot be a compound, has no reading spylls would accept.

Every verdict is spylls' (computed at build time) or a proof of absence;
where neither applies, :meth:`Lexicon.lookup` answers None and the caller asks
spylls itself.  A lexicon names the SHA-256 of the files it was built from
and is ignored when they differ.

Turning the forms into a dict costs tens of milliseconds at every start, so
the first read also leaves a :class:`~marginalia_spelling.word_index.WordIndex`
of them (with the header) in a cache folder, keyed by the lexicon file's
SHA-256; later starts load that instead.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import marshal
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from marginalia_spelling import word_index
from marginalia_spelling.word_index import WordIndex

log = logging.getLogger(__name__)

FORMAT = "marginalia-lexicon"
VERSION = 2
# Verdict bits of a lower-case form: the form itself, Capitalised, UPPER-CASE.
LOWER, CAPITAL, UPPER = 1, 2, 4
NUMBER = re.compile(r"^\d+(\.\d+)?$")  # spylls' NUMBER_REGEXP: numbers are always correct
MAX_BREAK_DEPTH = 10  # as spylls' Lookup.break_word
INDEX_FORMAT = ("marginalia-lexicon-index", 1)


def file_digest(*paths: Path) -> str:
    """SHA-256 over the files' bytes, in order (a lexicon is valid only for these exact files)."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def capital(lower: str) -> str:
    """The Capitalised rendering of a lower-case form (the same function at build and look-up time)."""
    return lower[:1].upper() + lower[1:]


@lru_cache(maxsize=4096)
def _case_safe(ch: str) -> bool:
    """Characters whose case mappings are single characters that map back: for these, every casing
    variant spylls tries of a word lower-cases to the word's own lower case (not ß, İ, final sigma)."""
    lo, up = ch.lower(), ch.upper()
    return len(lo) == 1 and len(up) == 1 and up.lower() == lo and lo.upper() == up and ch not in "Σσς"


@dataclass(frozen=True, slots=True)
class _Header:
    digest: str
    alphabet: frozenset[str]
    iconv: dict[str, str]
    ignore: str
    breaks: tuple[re.Pattern[str], ...]
    forbidden: frozenset[str]
    # Lower-cased stems that COMPOUNDRULE may join; None when any word might be a compound.
    compound_stems: frozenset[str] | None
    # Lower-case texts an UPPER-CASE word may match through spylls' one-letter stems (see _proves_absence).
    single_letter_forms: frozenset[str]
    # False when the dictionary's casing rules are not the standard ones (German ß, Turkic i).
    proves_absence: bool


class Lexicon:
    """spylls' verdicts for one dictionary, loaded from a lexicon file in tens of milliseconds."""

    def __init__(self, header: _Header, forms: dict[str, str] | WordIndex, mixed: dict[str, bool]) -> None:
        self.digest = header.digest
        self.alphabet = header.alphabet
        self._h = header
        self._forms = forms  # lower-case form -> verdict bits (as one digit in a dict)
        self._mixed = mixed
        self._iconv = str.maketrans(header.iconv) if header.iconv else None
        self._ignore = str.maketrans("", "", header.ignore) if header.ignore else None
        self._max_compound = max(map(len, header.compound_stems), default=0) if header.compound_stems else 0

    # -- reading ----------------------------------------------------------------
    @classmethod
    def read(cls, path: Path, digest: str, index_dir: Path | None = None) -> Lexicon | None:
        """The lexicon at ``path`` if it was built from files with this ``digest``; None otherwise.
        With ``index_dir``, its forms come from (or are left as) an index there."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            log.warning("spelling: cannot read %s (%s); using spylls", path, exc)
            return None
        index_path = index_dir / f"{hashlib.sha256(raw).hexdigest()[:24]}.index" if index_dir is not None else None
        if index_path is not None:
            indexed = cls._read_index(index_path, path, digest)
            if indexed is not None:
                return indexed
        try:
            meta_line, words_line, codes = gzip.decompress(raw).decode("utf-8").split("\n")[:3]
            meta = cls._checked_meta(json.loads(meta_line), path, digest)
            if meta is None:
                return None
            words = words_line.split("\t")
            if len(words) != len(codes) or not set(codes) <= set("01234567"):
                raise ValueError(f"{len(words)} forms but {len(codes)} verdicts")
            header = cls._header(meta, digest)
            mixed = {str(k): bool(v) for k, v in meta["mixed"].items()}
        except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError, re.error) as exc:
            log.warning("spelling: cannot read %s (%s); using spylls", path, exc)
            return None
        if index_path is not None:
            _write_index(index_path, meta_line, words, codes)
        return cls(header, dict(zip(words, codes, strict=True)), mixed)

    @staticmethod
    def _checked_meta(meta: object, path: Path, digest: str) -> dict[str, Any] | None:
        if not isinstance(meta, dict) or (meta.get("format"), meta.get("version"), meta.get("digest")) != (FORMAT, VERSION, digest):
            log.info("spelling: %s was built from other files or by another version; not used", path)
            return None
        return meta

    @classmethod
    def _read_index(cls, index_path: Path, path: Path, digest: str) -> Lexicon | None:
        """The lexicon from its index, or None (missing, damaged: the lexicon file is read instead)."""
        try:
            fmt, version, meta_line, keys, values = marshal.loads(index_path.read_bytes())
            if (fmt, version) != INDEX_FORMAT:
                return None
            meta = cls._checked_meta(json.loads(meta_line), path, digest)
            if meta is None:
                return None
            forms = WordIndex(keys, values)
            return cls(cls._header(meta, digest), forms, {str(k): bool(v) for k, v in meta["mixed"].items()})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError, re.error) as exc:
            log.info("spelling: unreadable lexicon index %s (%s); reading %s", index_path, exc, path)
            return None

    @staticmethod
    def _header(meta: dict[str, Any], digest: str) -> _Header:
        stems = meta["compound_stems"]
        return _Header(
            digest=digest,
            alphabet=frozenset(meta["alphabet"]),
            iconv=dict(meta["iconv"]),
            ignore=meta["ignore"],
            breaks=tuple(re.compile(p) for p in meta["breaks"]),
            forbidden=frozenset(meta["forbidden"]),
            compound_stems=None if stems is None else frozenset(stems),
            single_letter_forms=frozenset(meta["single_letter_forms"]),
            proves_absence=bool(meta["proves_absence"]),
        )

    # -- looking up -------------------------------------------------------------
    def lookup(self, word: str) -> bool | None:
        """spylls' ``Dictionary.lookup(word)``, or None when only spylls can tell."""
        h = self._h
        if word in h.forbidden:
            return False
        if self._iconv is not None:
            word = word.translate(self._iconv)
        if self._ignore is not None:
            word = word.translate(self._ignore)
        if NUMBER.fullmatch(word):
            return True
        undecided = False
        for parts in self._breakings(word, 0):
            verdicts = [self._correct(p) for p in parts if p]
            if all(verdicts):
                return True
            if False not in verdicts:
                undecided = True
        return None if undecided else False

    def _breakings(self, text: str, depth: int) -> Iterator[list[str]]:
        """The same splits at BREAK patterns, in the same order, as spylls' ``Lookup.break_word``."""
        if depth > MAX_BREAK_DEPTH:
            return
        yield [text]
        for pattern in self._h.breaks:
            for m in pattern.finditer(text):
                start, rest = text[: m.start(1)], text[m.end(1) :]
                for tail in self._breakings(rest, depth + 1):
                    yield [start, *tail]

    def _correct(self, part: str) -> bool | None:
        """Has ``part`` any good word form (spylls' ``any(good_forms(part))``)? None: cannot tell."""
        low = part.lower()
        code = self._forms.get(low)
        if code is not None:
            bits = int(code)
            if part == low:
                return bool(bits & LOWER)
            if part == capital(low):
                return bool(bits & CAPITAL)
            if part == low.upper():
                return bool(bits & UPPER)
        verdict = self._mixed.get(part)
        if verdict is not None:
            return verdict
        if code is None and self._proves_absence(part, low):
            return False
        return None

    def _proves_absence(self, part: str, low: str) -> bool:
        """No reading of ``part`` exists when its lower case is no form (every casing spylls tries
        has that lower case), its letters change case one to one, and it cannot be a compound.

        spylls (0.1.x) files each lower-case stem, in the index it searches for UPPER-CASE words,
        under every one of its letters, so "JS" passes as "j" + "s" with the flags of any word
        holding a "j"; the texts that quirk could match are listed, and left to spylls."""
        return (
            self._h.proves_absence
            and not (part.isupper() and low in self._h.single_letter_forms)
            and all(map(_case_safe, part))
            and not self._may_compound(low)
        )

    def _may_compound(self, low: str) -> bool:
        """Could ``low`` be COMPOUNDRULE stems in a row (``21st``)?  Only asked for a ``low`` that is
        no form of its own, so a run of one stem cannot occur and any run means "maybe"."""
        stems = self._h.compound_stems
        if stems is None:
            return True
        reach = [True] + [False] * len(low)  # reach[i]: low[:i] is a run of stems
        for i in range(len(low)):
            if reach[i]:
                for j in range(i + 1, min(len(low), i + self._max_compound) + 1):
                    reach[j] = reach[j] or low[i:j] in stems
        return reach[len(low)]


def _write_index(index_path: Path, meta_line: str, words: list[str], codes: str) -> None:
    """Leave the forms' index for the next start (atomically; a failure only costs that start time)."""
    built = word_index.build(zip(words, map(int, codes), strict=True))
    if built is None:
        return
    tmp = index_path.with_name(f"{index_path.name}.{os.getpid()}.tmp")
    try:
        index_path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((*INDEX_FORMAT, meta_line, *built)))
        tmp.replace(index_path)
    except OSError as exc:
        log.info("spelling: cannot write the lexicon index %s (%s)", index_path, exc)
        tmp.unlink(missing_ok=True)


def failure_marker(out: Path) -> Path:
    """Left beside ``out`` when a background build gave up, so that later starts do not try again
    (``out`` names the files' digest: a changed dictionary is tried afresh)."""
    return out.with_name(out.name + ".failed")


def write(path: Path, meta: dict[str, Any], forms: dict[str, int]) -> None:
    """Write a lexicon atomically (a reader never sees half a file)."""
    words = sorted(forms)
    if any("\t" in w or "\n" in w for w in words):
        raise ValueError("a form holds a tab or newline; cannot store it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9) as f:
            f.write(json.dumps({"format": FORMAT, "version": VERSION, **meta}, ensure_ascii=False, sort_keys=True) + "\n")
            f.write("\t".join(words) + "\n")
            f.write("".join(str(forms[w]) for w in words) + "\n")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
