"""Citation keys in a LaTeX or Markdown source, with their exact spans.

We scan the source ourselves instead of relying on the prose parsers: the
citations plugin must work the same whatever a parser chose to keep, and it
needs the span of every key, not a placeholder for the whole command.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# natbib, biblatex, BibTeX, apacite, ACM and harvard commands whose braced arguments are keys.
LATEX_CITE_COMMANDS = frozenset(
    ["cite", "citet", "citep", "citealt", "citealp", "citeauthor", "citeyear", "citeyearpar", "citenum", "citefullauthor", "Citet", "Citep", "Citealt", "Citealp", "Citeauthor", "cite", "nocite", "parencite", "Parencite", "textcite", "Textcite", "autocite", "Autocite", "footcite", "Footcite", "footcitetext", "smartcite", "Smartcite", "supercite", "fullcite", "footfullcite", "citetitle", "Citetitle", "citeurl", "citedate", "citeurldate", "volcite", "pvolcite", "fvolcite", "tvolcite", "avolcite", "cites", "parencites", "Parencites", "textcites", "Textcites", "autocites", "Autocites", "footcites", "Footcites", "smartcites", "Smartcites", "supercites", "notecite", "pnotecite", "fnotecite", "citename", "citelist", "citefield"]
)
# Commands of the form \cites(pre)(post)[pre][post]{a}[pre][post]{b}.
MULTI_SUFFIX = "cites"
# Cross-references, not citations: Quarto's @fig-x and pandoc-crossref's @fig:x.
QUARTO_CROSSREF = ("fig-", "tbl-", "sec-", "eq-", "lst-", "thm-", "lem-", "cor-", "prp-", "cnj-", "def-", "exm-", "exr-", "sol-", "rem-", "alg-", "apx-")
PANDOC_CROSSREF = ("fig:", "tbl:", "sec:", "eq:", "lst:")
CROSSREF_PREFIXES = QUARTO_CROSSREF + PANDOC_CROSSREF


@dataclass(frozen=True, slots=True)
class CiteKey:
    """One key as written: ``source[start:end] == key``."""

    key: str
    start: int
    end: int
    command: str  # "\\citep", "[@", "@" (bare), "-@" (suppress author)


@dataclass(frozen=True, slots=True)
class CiteGroup:
    """A whole citation (``\\citep[p.~3]{a,b}`` or ``[see @a, p. 3; @b]``) and its keys."""

    start: int
    end: int
    keys: tuple[CiteKey, ...]
    kind: str  # "latex" | "pandoc"


# --------------------------------------------------------------------------- masking


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blanked(m: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", m.group())


# "%" first, then "not after a backslash": a pattern that starts with a literal is searched
# for with a fast scan, where a leading look-behind is tried at every character (15x slower).
_LATEX_COMMENT = re.compile(r"%(?<!\\%)[^\n]*")
_LATEX_VERBATIM = re.compile(r"\\begin\{(verbatim|lstlisting|minted|comment|Verbatim)\*?\}.*?\\end\{\1\*?\}", re.S)
_LATEX_VERB = re.compile(r"\\verb\*?([^\sA-Za-z*])[^\n]*?\1")


def _mask(source: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """Blank each pattern's matches in turn (all but line breaks, so offsets and lines are
    unchanged), so later patterns see earlier blanks."""
    text = source
    for rx in patterns:
        text = rx.sub(_blanked, text)
    return text


def strip_latex_comments(source: str) -> str:
    """The source with ``%`` comments blanked, offsets unchanged."""
    return _LATEX_COMMENT.sub(_blanked, source)


def mask_latex(source: str) -> str:
    """The source with comments and verbatim blanked, offsets unchanged."""
    return _mask(source, (_LATEX_VERBATIM, _LATEX_VERB, _LATEX_COMMENT))


_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=indent)?\s{0,3}(?P=fence)[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?=\S)[^$\n]+?(?<=\S)\$(?!\d)", re.S)
_AUTOLINK = re.compile(r"<[a-zA-Z][\w+.-]*:[^\s<>]*>|<[^\s<>@]+@[^\s<>]+>")


def mask_markdown(source: str) -> str:
    """Blank code (fences, spans), comments, front matter, math and autolinks."""
    return _mask(source, (_FRONT_MATTER, _FENCE, _HTML_COMMENT, _CODE_SPAN, _MATH, _AUTOLINK))


# --------------------------------------------------------------------------- LaTeX


def latex_command_pattern(extra: Iterable[str] = ()) -> re.Pattern[str]:
    names = set(LATEX_CITE_COMMANDS) | {c.lstrip("\\") for c in extra if c.strip()}
    # Longest first ("citep" before "cite"), grouped by first character: at each of a book's
    # thousands of backslashes the engine then tries a dozen branches instead of seventy.
    by_first: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        if name:
            by_first.setdefault(name[0], []).append(re.escape(name[1:]))
    groups = [re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in sorted(by_first.items())]
    if "" in names:
        groups.append("")
    return re.compile(rf"\\({'|'.join(groups)})(?![A-Za-z@])(\*?)")


# Arguments of a citation command, matched by regular expressions over a bounded
# window: a stray "\\cite{" in a huge file costs one short match, not a scan to the end.
_SPACE = re.compile(r"[ \t]*\n?[ \t]*")
_PAREN_ARG = re.compile(r"\((?:[^(){}\n]|\{[^{}\n]*\})*\)")
_OPT_ARG = re.compile(r"\[(?:[^\[\]{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\]")
_KEYS_ARG = re.compile(r"\{([^{}\\]*)\}")
_OPEN_KEYS = re.compile(r"\{([^{}\\\n]*)")  # unclosed while the user types
OPT_WINDOW = 400
KEYS_WINDOW = 2000


@dataclass(frozen=True, slots=True)
class KeyGroup:
    """One ``[pre][post]{keys}`` of a citation command; ``keys_start:keys_end`` is inside the braces."""

    options: tuple[str, ...]
    keys_start: int
    keys_end: int
    closed: bool


@dataclass(frozen=True, slots=True)
class CiteArguments:
    notes: tuple[str, ...]  # \cites(pre)(post)
    groups: tuple[KeyGroup, ...]
    end: int


def cite_arguments(text: str, i: int, multi: bool) -> CiteArguments | None:
    """Parse what follows a citation command's name (and star) at ``i``."""
    n = len(text)
    notes: list[str] = []
    groups: list[KeyGroup] = []
    end = i
    while True:
        j = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        while multi and not groups and j < n and text[j] == "(":
            m = _PAREN_ARG.match(text, j, min(n, j + OPT_WINDOW))
            if m is None:
                break
            notes.append(m.group()[1:-1])
            j = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
        options: list[str] = []
        while j < n and text[j] == "[" and len(options) < 2:
            m = _OPT_ARG.match(text, j, min(n, j + OPT_WINDOW))
            if m is None:
                break
            options.append(m.group()[1:-1])
            j = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
        if j >= n or text[j] != "{":
            break
        m = _KEYS_ARG.match(text, j, min(n, j + KEYS_WINDOW))
        if m is None:
            m = _OPEN_KEYS.match(text, j, min(n, j + KEYS_WINDOW))
            assert m is not None  # text[j] == "{" always matches
            groups.append(KeyGroup(tuple(options), m.start(1), m.end(1), closed=False))
            end = m.end()
            break
        groups.append(KeyGroup(tuple(options), m.start(1), m.end(1), closed=True))
        end = i = m.end()
        if not multi:
            break
    if not groups:
        return None
    return CiteArguments(tuple(notes), tuple(groups), end)


def _split_keys(text: str, start: int, end: int, command: str) -> list[CiteKey]:
    keys = []
    pos = start
    for part in text[start:end].split(","):
        stripped = part.strip()
        if stripped:
            lead = len(part) - len(part.lstrip())
            keys.append(CiteKey(stripped, pos + lead, pos + lead + len(stripped), command))
        pos += len(part) + 1
    return keys


def latex_citations(source: str, extra_commands: Sequence[str] = (), masked: str | None = None) -> list[CiteGroup]:
    text = masked if masked is not None else mask_latex(source)
    groups: list[CiteGroup] = []
    for m in latex_command_pattern(extra_commands).finditer(text):
        args = cite_arguments(text, m.end(), m.group(1).endswith(MULTI_SUFFIX))
        if args is None:
            continue
        command = "\\" + m.group(1) + m.group(2)
        keys = [k for g in args.groups for k in _split_keys(source, g.keys_start, g.keys_end, command)]
        groups.append(CiteGroup(m.start(), args.end, tuple(keys), "latex"))
    return groups


# --------------------------------------------------------------------------- Markdown

# pandoc: a key starts with a letter, digit or _, and may contain :.#$%&-+?<>~/
# when followed by an alphanumeric; @{...} allows anything but braces.
KEY_BODY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
_BARE = re.compile(rf"(?<![\w@.+\-\\])(-?)@(?:\{{([^{{}}\n]+)\}}|({KEY_BODY}))")
_BRACKET = re.compile(r"\[([^\[\]\n]*(?:\n[^\[\]\n]*)?)\](?!\(|:)")


def is_crossref(key: str) -> bool:
    return key.lower().startswith(CROSSREF_PREFIXES)


def markdown_citations(source: str, masked: str | None = None) -> list[CiteGroup]:
    text = masked if masked is not None else mask_markdown(source)
    groups: list[CiteGroup] = []
    in_brackets: set[int] = set()
    for b in _BRACKET.finditer(text):
        inner_start = b.start() + 1
        keys = []
        for m in _BARE.finditer(text, inner_start, b.end() - 1):
            key = m.group(2) or m.group(3)
            start = m.start(2) if m.group(2) else m.start(3)
            if is_crossref(key):
                in_brackets.add(m.start())
                continue
            keys.append(CiteKey(key, start, start + len(key), "-@" if m.group(1) else "[@"))
            in_brackets.add(m.start())
        if keys:
            groups.append(CiteGroup(b.start(), b.end(), tuple(keys), "pandoc"))
    for m in _BARE.finditer(text):
        if m.start() in in_brackets:
            continue
        key = m.group(2) or m.group(3)
        if is_crossref(key):
            continue
        start = m.start(2) if m.group(2) else m.start(3)
        groups.append(CiteGroup(m.start(), start + len(key) + (1 if m.group(2) else 0), (CiteKey(key, start, start + len(key), "-@" if m.group(1) else "@"),), "pandoc"))
    groups.sort(key=lambda g: g.start)
    return groups


def find_citations(source: str, language_id: str, extra_commands: Sequence[str] = ()) -> list[CiteGroup]:
    if language_id == "latex":
        return latex_citations(source, extra_commands)
    if language_id in ("markdown", "quarto", "rmarkdown"):
        return markdown_citations(source)
    return []


def all_keys(groups: Iterable[CiteGroup]) -> list[CiteKey]:
    return [k for g in groups for k in g.keys]


def key_at(groups: Sequence[CiteGroup], offset: int) -> CiteKey | None:
    for g in groups:
        if g.start <= offset <= g.end:
            for k in g.keys:
                if k.start <= offset <= k.end:
                    return k
    return None


def group_at(groups: Sequence[CiteGroup], start: int, end: int | None = None) -> list[CiteGroup]:
    """Citations touching the offset or overlapping the range."""
    stop = start if end is None else end
    return [g for g in groups if g.start <= stop and start <= g.end]
