"""Whole-buffer scans that do not need the prose walk.

The declared language, bibliography files, include targets and the document's
own ``\\newcommand`` definitions are read with a few compiled regexes over the
whole buffer (preamble included), skipping commented lines.  Keeping them out
of the prose walk lets the walk cache paragraphs without caring about them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_COMMENT_START = re.compile(r"(?<!\\)(?:\\\\)*%")


def line_is_commented(source: str, pos: int) -> bool:
    """Is ``pos`` after an unescaped ``%`` on its line?"""
    line_start = max(source.rfind("\n", 0, pos), source.rfind("\r", 0, pos)) + 1
    return "%" in source[line_start:pos] and _COMMENT_START.search(source, line_start, pos) is not None


def uncommented(source: str, matches: Iterable[re.Match[str]]) -> Iterator[re.Match[str]]:
    """The matches (in source order) that are not inside a ``%`` comment.

    Equivalent to filtering with :func:`line_is_commented`, but each stretch of
    the source is looked at once, so a huge single-line file stays linear.
    """
    scanned = 0  # everything before this is known
    commented = False  # an unescaped % was seen on the current line before `scanned`
    for m in matches:
        pos = m.start()
        if pos < scanned:  # not in order: fall back to the direct check
            if not line_is_commented(source, pos):
                yield m
            continue
        newline = max(source.rfind("\n", scanned, pos), source.rfind("\r", scanned, pos))
        if newline >= 0:
            scanned, commented = newline + 1, False
        if not commented and "%" in source[scanned:pos]:
            commented = _COMMENT_START.search(source, scanned, pos) is not None
        scanned = pos
        if not commented:
            yield m


def match_brace(source: str, open_pos: int, end: int | None = None) -> int | None:
    """Offset just after the ``}`` matching the ``{`` at ``open_pos`` (None if unclosed).

    ``\\{``, ``\\}`` and comments do not count.
    """
    depth = 0
    for m in BRACE_TOKEN.finditer(source, open_pos, len(source) if end is None else end):
        t = m.group()
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
            if depth == 0:
                return m.end()
    return None


BRACE_TOKEN = re.compile(r"[{}]|\\[{}%\\]|%[^\r\n]*")

# -- language ------------------------------------------------------------------

BABEL_TO_BCP47 = {
    "english": "en-US",
    "american": "en-US",
    "usenglish": "en-US",
    "USenglish": "en-US",
    "british": "en-GB",
    "UKenglish": "en-GB",
    "ukenglish": "en-GB",
    "australian": "en-AU",
    "canadian": "en-CA",
    "newzealand": "en-NZ",
    "french": "fr",
    "francais": "fr",
    "frenchb": "fr",
    "acadian": "fr-CA",
    "canadien": "fr-CA",
    "german": "de",
    "ngerman": "de",
    "austrian": "de-AT",
    "naustrian": "de-AT",
    "swissgerman": "de-CH",
    "nswissgerman": "de-CH",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "portuges": "pt",
    "brazil": "pt-BR",
    "brazilian": "pt-BR",
    "dutch": "nl",
    "polish": "pl",
    "russian": "ru",
    "catalan": "ca",
    "swedish": "sv",
    "danish": "da",
    "norsk": "nb",
    "norwegian": "nb",
    "nynorsk": "nn",
    "finnish": "fi",
    "greek": "el",
    "czech": "cs",
    "slovak": "sk",
    "ukrainian": "uk",
    "japanese": "ja",
    "chinese": "zh",
    "turkish": "tr",
    "romanian": "ro",
    "hungarian": "hu",
    "magyar": "hu",
    "galician": "gl",
    "esperanto": "eo",
    "irish": "ga",
    "icelandic": "is",
    "estonian": "et",
    "lithuanian": "lt",
    "latvian": "lv",
    "slovene": "sl",
    "slovenian": "sl",
    "croatian": "hr",
    "serbian": "sr",
    "bulgarian": "bg",
    "hebrew": "he",
    "arabic": "ar",
    "persian": "fa",
    "hindi": "hi",
    "korean": "ko",
    "vietnamese": "vi",
    "indonesian": "id",
    "malay": "ms",
    "basque": "eu",
    "welsh": "cy",
    "belarusian": "be",
    "breton": "br",
    "occitan": "oc",
    "asturian": "ast",
    "latin": "la",
}
_ENGLISH_VARIANTS = {
    "british": "en-GB",
    "uk": "en-GB",
    "american": "en-US",
    "us": "en-US",
    "australian": "en-AU",
    "canadian": "en-CA",
    "newzealand": "en-NZ",
}
_GERMAN_VARIANTS = {"austrian": "de-AT", "swiss": "de-CH", "german": "de"}

_USE_BABEL = re.compile(r"\\usepackage\s*(?:\[([^\]]*)\])?\s*\{\s*babel\s*\}")
_DOCUMENTCLASS = re.compile(r"\\documentclass\s*(?:\[([^\]]*)\])?")
_POLYGLOSSIA_MAIN = re.compile(r"\\set(?:main|default)language\s*(?:\[([^\]]*)\])?\s*\{\s*([A-Za-z]+)\s*\}")


def _language_tag(name: str, options: str = "") -> str | None:
    name = name.strip()
    opts = dict(
        (k.strip().lower(), v.strip().lower())
        for k, _, v in (o.partition("=") for o in options.split(","))
        if k.strip()
    )
    variant = opts.get("variant", "")
    if name.lower() == "english" and variant in _ENGLISH_VARIANTS:
        return _ENGLISH_VARIANTS[variant]
    if name.lower() == "german" and variant in _GERMAN_VARIANTS:
        return _GERMAN_VARIANTS[variant]
    return BABEL_TO_BCP47.get(name) or BABEL_TO_BCP47.get(name.lower())


def declared_language(source: str) -> str | None:
    """The main language declared by polyglossia or babel, as a BCP-47 tag."""
    found: str | None = None
    for m in uncommented(source, _POLYGLOSSIA_MAIN.finditer(source)):
        found = _language_tag(m.group(2), m.group(1) or "") or found
    if found:
        return found
    for m in uncommented(source, _USE_BABEL.finditer(source)):
        options = m.group(1)
        if options is None:
            cls = _DOCUMENTCLASS.search(source)
            options = cls.group(1) or "" if cls else ""
        opts = [o.strip() for o in options.split(",") if o.strip()]
        main = [o.split("=", 1)[1].strip() for o in opts if o.replace(" ", "").startswith("main=")]
        # babel's main language is main=…, else the last language option.
        for cand in main + opts[::-1]:
            tag = _language_tag(cand)
            if tag:
                return tag
    return None


# -- bibliographies and includes ---------------------------------------------

_BIBLIOGRAPHY = re.compile(r"\\(bibliography|addbibresource|addglobalbib)\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")
INCLUDE_COMMANDS = (
    "input",
    "include",
    "subfile",
    "import",
    "subimport",
    "includeonly",
    "inputfrom",
    "subinputfrom",
    "includefrom",
    "subincludefrom",
)
_INCLUDE = re.compile(
    r"\\(input|include|subfile|includeonly|import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)(?![A-Za-z@])\*?"
    r"[ \t]*(?:\{([^{}]*)\}(?:[ \t]*\{([^{}]*)\})?|([^\s{}\\%]+))"
)
_TWO_ARG_INCLUDES = frozenset({"import", "subimport", "inputfrom", "subinputfrom", "includefrom", "subincludefrom"})


def bibliographies(source: str, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """Bibliography files named in ``source``; ``spans`` collects where the commands are."""
    out: list[str] = []
    for m in uncommented(source, _BIBLIOGRAPHY.finditer(source)):
        if spans is not None:
            spans.append(m.span())
        if m.group(1) == "bibliography":
            out.extend(name.strip() for name in m.group(2).split(",") if name.strip())
        elif m.group(2).strip():
            out.append(m.group(2).strip())
    return out


def includes(source: str) -> list[tuple[str, str, int, int]]:
    """``(command, target, src_start, src_end)`` for every include-like command."""
    out: list[tuple[str, str, int, int]] = []
    for m in uncommented(source, _INCLUDE.finditer(source)):
        cmd = m.group(1)
        if m.group(4) is not None:
            if cmd != "input":  # only the TeX primitive takes a bare file name
                continue
            target = m.group(4)
        elif cmd in _TWO_ARG_INCLUDES:
            if m.group(3) is None:
                continue
            folder = m.group(2).strip()
            target = (folder.rstrip("/") + "/" if folder else "") + m.group(3).strip()
        else:
            target = m.group(2).strip()
            if m.group(3) is not None:  # "\input{a} {b}": the second group is not ours
                end = m.start(3) - 1
                while source[end] != "}":
                    end -= 1
                out.append((cmd, target, m.start(), end + 1))
                continue
        out.append((cmd, target, m.start(), m.end()))
    return out


# -- the document's own macros ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class MacroDef:
    """A macro the document defines: ``nargs`` arguments, the first optional if ``optional``."""

    nargs: int
    body: str
    optional: bool = False


_NEWCOMMAND = re.compile(r"\\(?:re)?newcommand\*?|\\providecommand\*?|\\DeclareRobustCommand\*?")
_NEWCOMMAND_TAIL = re.compile(
    r"\s*(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))\s*(?:\[\s*(\d)\s*\])?\s*(\[[^\]]*\])?\s*(?=\{)"
)
_MAX_BODY = 5_000  # scanned directly; longer or unclosed bodies go through a pair index
_DEF = re.compile(r"\\[gex]?def\s*\\([A-Za-z@]+)\s*((?:#\d)*)\s*(?=\{)")


def definitions(source: str, spans: list[tuple[int, int]] | None = None) -> dict[str, MacroDef]:
    """Macros defined with \\newcommand-like commands or \\def (later ones win).

    ``spans`` collects where each definition lies, from its command to the end of its body.
    """
    out: dict[str, MacroDef] = {}
    closer = _BodyEnd(source)
    # A malformed definition may become whole through any later edit: its span runs to the end.
    spans = spans if spans is not None else []
    if "command" in source:
        for m in uncommented(source, _NEWCOMMAND.finditer(source)):
            tail = _NEWCOMMAND_TAIL.match(source, m.end())
            end = closer(tail.end()) if tail is not None else None
            spans.append((m.start(), end if end is not None else len(source)))
            if tail is None or end is None:
                continue
            name = tail.group(1) or tail.group(2)
            out[name] = MacroDef(int(tail.group(3) or 0), source[tail.end() + 1 : end - 1], tail.group(4) is not None)
    if "def" in source:
        for m in uncommented(source, _DEF.finditer(source)):
            end = closer(m.end())
            spans.append((m.start(), end if end is not None else len(source)))
            if end is None:
                continue
            out[m.group(1)] = MacroDef(len(m.group(2)) // 2, source[m.end() + 1 : end - 1])
    return out


class _BodyEnd:
    """End of the ``{...}`` body opening at a position; linear even when many are unclosed."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pairs: dict[int, tuple[int, int]] | None = None

    def __call__(self, open_pos: int) -> int | None:
        if self.pairs is None:
            end = match_brace(self.source, open_pos, min(len(self.source), open_pos + _MAX_BODY))
            if end is not None:
                return end
            from lsp_server.documents.latex_pairs import pair_all

            self.pairs = pair_all(self.source, BRACE_TOKEN, "{".__eq__, "}".__eq__)
        found = self.pairs.get(open_pos)
        return found[1] if found is not None and found[1] >= 0 else None
