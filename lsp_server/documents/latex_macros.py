"""How the document's own macros read, from their definitions.

LTeX's most complained-about false alarms come from macros it cannot see
into.  When the buffer defines a macro itself we can do better than dropping
it: ``\\newcommand{\\etal}{\\emph{et al.}}`` reads "et al." and
``\\newcommand{\\Sect}[1]{Section~\\ref{sect:#1}}`` reads "Section 1" (both
as COMMAND placeholders, so spelling skips them and grammar reads words),
while ``\\newcommand{\\idx}[1]{#1\\index{#1}}`` checks its argument in place.
An argument counts as text when some use of ``#k`` in the body is outside a
key-taking command (``\\ref``, ``\\label``, ``\\cite``, ``\\color``...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lsp_server.documents.latex_commands import COMMANDS, Act, Command
from lsp_server.documents.latex_scan import MacroDef

_KEY_CONTEXT = re.compile(
    r"\\(?:[A-Za-z]*ref|label|[A-Za-z]*cites?[a-z]*|url|href|includegraphics|input|include|color|textcolor|"
    r"colorbox|index|glossary|hypersetup|setlength|setcounter|addtocounter|begin|end|hspace|vspace|fontspec|"
    r"ac[a-z]*|gls[a-z]*|hyperlink|hypertarget|nameref)\*?\s*(?:\[[^\]]*\])?\s*(?:\{[^{}]*\}\s*)?\{[^{}]*\Z"
)
# The innermost "\\name{..}{..}{" still open at the end of a body prefix.
_MACRO_ARGUMENT = re.compile(r"\\([A-Za-z@]+)\*?\s*(?:\[[^\]]*\]\s*)?((?:\{[^{}]*\}\s*)*)\{[^{}]*\Z")
_MAX_PLACEHOLDER = 80


@dataclass(frozen=True, slots=True)
class MacroReading:
    signature: str  # argument signature for the parser ("o" then one "m" per mandatory argument)
    # 1-based mandatory arguments checked as prose, in the order the body uses them, each with
    # the chunk role it goes to ("" inline; "heading" for \\section{#1}...).
    text_args: tuple[tuple[int, str], ...]
    prose: str  # what the macro itself reads as ("" for nothing)


class MacroReader:
    """Readings of the buffer's macro definitions, worked out on first use."""

    def __init__(self, definitions: dict[str, MacroDef]) -> None:
        self.definitions = definitions
        self.render: Callable[[str], str] = lambda body: ""
        self._readings: dict[str, MacroReading] = {}
        self._active: set[str] = set()
        self.fingerprint = hash(tuple(sorted((k, d.nargs, d.optional, d.body) for k, d in definitions.items())))

    def get(self, name: str, builtin: Command | None) -> MacroDef | None:
        """The definition to use for ``name``; built-in knowledge wins unless the arity differs."""
        d = self.definitions.get(name)
        if d is None or builtin is None:
            return d
        builtin_mandatory = sum(1 for c in builtin.args if c in "mMu")
        return d if d.nargs > 0 and d.nargs - d.optional != builtin_mandatory else None

    def reading(self, name: str) -> MacroReading:
        known = self._readings.get(name)
        if known is not None:
            return known
        d = self.definitions[name]
        if name in self._active:  # a macro that expands to itself
            return MacroReading("", (), "")
        self._active.add(name)
        try:
            reading = self._work_out(d)
        finally:
            self._active.discard(name)
        self._readings[name] = reading
        return reading

    def _work_out(self, d: MacroDef) -> MacroReading:
        first = 2 if d.optional else 1
        mandatory = max(0, d.nargs - (1 if d.optional else 0))
        uses: list[tuple[int, int, str]] = []
        for k in range(first, first + mandatory):
            use = self._text_use(d.body, k)
            if use is not None:
                uses.append((use[0], k - first + 1, use[1]))
        text_args = tuple((index, role) for _, index, role in sorted(uses))
        signature = ("o" if d.optional else "") + "m" * mandatory
        prose = ""
        if not text_args:
            expanded = self.render(re.sub(r"#+\d", "", d.body))
            prose = " ".join(expanded.split())
            if len(prose) > _MAX_PLACEHOLDER:
                from lsp_server.documents.placeholders import word_placeholder

                prose = word_placeholder(prose)
        return MacroReading(signature, text_args, prose)

    def _text_use(self, body: str, k: int) -> tuple[int, str] | None:
        """Where ``#k`` is first used as text in ``body``, and the chunk role it lands in."""
        for m in re.finditer(rf"#{k}(?!\d)", body):
            if _KEY_CONTEXT.search(body, 0, m.start()):
                continue
            outer = _MACRO_ARGUMENT.search(body, 0, m.start())
            role = ""
            if outer is not None:
                name = outer.group(1)
                if name in self.definitions:
                    # Passed on to another macro of the document: text if that one checks it.
                    index = outer.group(2).count("{") + 1
                    passed = dict(self.reading(name).text_args)
                    if index not in passed:
                        continue
                    role = passed[index]
                else:
                    builtin = COMMANDS.get(name)
                    if builtin is not None and builtin.act in (Act.HEADING, Act.SIDE):
                        role = builtin.text
            return m.start(), role
        return None
