"""An acronym used before the text that defines it ("graphics processing unit (GPU)").

Only acronyms the document defines somewhere are judged (one never defined
may be common knowledge in the field); well-known ones (PDF, URL, DNA) and
the user's ``known_acronyms`` never are.  Uses in headings, captions and
tables do not count: they are often written before the text that introduces
a term.  The first early use is reported, with the definition as the fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from lsp_server.documents.model import Chunk
from marginalia_style import acronyms
from marginalia_style.facts import DocumentFacts
from marginalia_style.rules.base import DocumentRule, Located, Match, examples_beside
from marginalia_style.settings import StyleSettings

_NOT_A_USE = frozenset({"heading", "caption", "table", "code"})


def report(chunks: DocumentFacts, settings: StyleSettings) -> Iterator[Located]:
    """The first use of an acronym that comes before the text that defines it."""
    known = acronyms.WELL_KNOWN | frozenset(settings.known_acronyms)
    defined: dict[str, acronyms.Mention] = {}
    first_use: dict[str, tuple[Chunk, acronyms.Mention]] = {}
    early: dict[str, tuple[Chunk, acronyms.Mention]] = {}
    for chunk, facts in chunks:
        counts_as_use = chunk.role not in _NOT_A_USE
        for mention in facts.acronyms:
            acr = mention.acronym
            if acr in known or mention.text in known or acr in defined:
                continue
            if mention.defines:
                defined[acr] = mention
                if acr in first_use:
                    early[acr] = first_use[acr]
            elif counts_as_use:
                first_use.setdefault(acr, (chunk, mention))
    for acr, (chunk, use) in early.items():
        definition = defined[acr]
        fix = (f"{definition.expansion} ({use.text})",) if definition.expansion and use.text == acr else ()
        where = f" (“{definition.expansion}”)" if definition.expansion else ""
        yield chunk, Match(use.start, use.end, f"“{use.text}” is used before it is defined{where}; define it at its first use.", fix)


RULE = DocumentRule("acronym-before-definition", "An acronym is used before it is defined", report, examples_path=examples_beside(__file__), explanation=__doc__ or "")
