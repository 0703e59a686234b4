"""Find the words in a paragraph of prose that a dictionary should judge.

The text is split into whitespace-separated tokens first, because what a
token *is* (a URL, an e-mail address, a file name, code, a number with a unit)
decides whether its letters are prose at all.  Inside prose tokens, words are
runs of Unicode word characters joined by apostrophes or hyphens, so
``don't``, ``state-of-the-art`` and ``naïve`` stay whole while CJK text,
emoji and punctuation never turn into "words".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

APOSTROPHES = "'’ʼ‘"
_APOSTROPHE_TABLE = str.maketrans({c: "'" for c in APOSTROPHES[1:]})

# A whitespace-separated token; group 1 is set when it is a bare word with optional quotes,
# brackets and trailing punctuation ("(word),"), the common case that needs no classification.
_TOKEN = re.compile(r"(?<!\S)[(\"“‘'«]?([^\W\d_]+)[)\"”’'»]?[.,;:!?…]*(?!\S)|\S+")
# A word: word characters (letters, digits, underscore: the last two are judged below)
# joined by single apostrophes or hyphens.
_WORD = re.compile(r"\w+(?:[-'’ʼ]\w+)*")
_LEADING = "([{\"'“‘«‹<*_¿¡„"
_TRAILING = ")]}\"'”’»›>*_.,;:!?…"
# URLs, e-mail addresses and handles, dotted names (foo.py, example.com, e.g, v1.2), paths, code.
_NOT_PROSE = re.compile(r"://|^www\.|@|\w\.\w|^(?:\.{1,2}/|~/|/\w|[A-Za-z]:\\)|[`$\\{}<>=#|^~\[\]()%&+]")
_PLURAL_SUFFIX = re.compile(r"\((?:e?s)\)$")  # word(s), match(es)
_ABBREVIATIONS = frozenset(["al", "fig", "figs", "eq", "eqs", "dr", "mr", "mrs", "ms", "prof", "vs", "cf", "st", "no", "vol", "sec", "ch", "ref", "refs", "jr", "sr"])
# Longer "words" are hashes, base64 or garbage, not prose.
MAX_WORD_LENGTH = 60


class Word(NamedTuple):
    """``text[start:end]`` of the paragraph (whether it opens a sentence: :func:`opens_sentence`).

    A NamedTuple, not a frozen dataclass: a book makes 100k of them and tuples are built fastest."""

    start: int
    end: int
    text: str


def normalize_apostrophes(word: str) -> str:
    return word.translate(_APOSTROPHE_TABLE)


def _is_path_or_code(core: str) -> bool:
    if _NOT_PROSE.search(core):
        return True
    if "/" in core:
        # and/or, input/output are prose; src/main_v2 or a/b/c.txt are paths.
        parts = core.split("/")
        return any(not p or "_" in p or any(ch.isdigit() for ch in p) for p in parts) or len(parts) > 3
    return False


def opens_sentence(text: str, start: int) -> bool:
    """Only asked for misspelt words: a capitalised one mid-sentence is probably a name."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _LEADING):
        i -= 1
    if i < 0 or text[i] in "•!?:":  # not after a dash: "Ornstein–Uhlenbeck"
        return True
    if text[i] != ".":
        return False
    # "J. Kitzes", "et al. Smith", "Fig. Wrold": a period after an initial or abbreviation ends no sentence.
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    before = text[j:i]
    return not (len(before) == 1 and before.isupper()) and before.lower() not in _ABBREVIATIONS


def iter_words(text: str) -> Iterator[Word]:
    """Prose words of ``text`` with their offsets; non-prose tokens are skipped whole."""
    for tok in _TOKEN.finditer(text):
        bare = tok.group(1)
        if bare is not None:  # most tokens: a plain word, perhaps with quotes or punctuation
            if len(bare) <= MAX_WORD_LENGTH:
                yield Word(tok.start(1), tok.end(1), bare)
            continue
        raw = tok.group()
        lead = len(raw) - len(raw.lstrip(_LEADING))
        core = _PLURAL_SUFFIX.sub("", raw[lead:].rstrip(".,;:!?…")).rstrip(_TRAILING)
        if not core or _is_path_or_code(core):
            continue
        base = tok.start() + lead
        for m in _WORD.finditer(core):
            word = m.group()
            if len(word) > MAX_WORD_LENGTH or "_" in word or any(c.isdigit() for c in word):
                continue  # snake_case, numbers, 10km, 2nd, 1990s, mp3
            start = base + m.start()
            yield Word(start, start + len(word), word)


def is_all_caps(word: str) -> bool:
    """NASA, GPU, GPUs, GPU's: acronyms and their plurals."""
    w = normalize_apostrophes(word)
    for suffix in ("'s", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 2 and w[: -len(suffix)].isupper():
            return True
    letters = [c for c in w if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_mixed_case(word: str) -> bool:
    """camelCase, PascalCase, iPhone, LaTeX: an upper-case letter after a lower-case one."""
    for part in normalize_apostrophes(word).replace("'", "-").split("-"):
        if any(c.isupper() for c in part[1:]) and not is_all_caps(part):
            return True
    return False


def is_shifted_capital(word: str) -> bool:
    """THe, WOrld: two capitals then lower case, the classic held-shift typo."""
    return len(word) >= 3 and word[:2].isupper() and word[2:].isalpha() and word[2:].islower() and len(word[2:]) >= 1


def is_capitalized(word: str) -> bool:
    return word[:1].isupper() and not any(c.isupper() for c in word[1:])
