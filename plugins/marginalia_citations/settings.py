"""The ``citations`` settings."""

from __future__ import annotations

from dataclasses import dataclass, field


def _doc(text: str) -> dict[str, str]:
    return {"description": text}


@dataclass
class CitationsSettings:
    """Citations: bibliographies, reference style and which checks run."""

    bibliography: list[str] = field(default_factory=list, metadata=_doc("Extra .bib files for every document: relative to the workspace root, or absolute."))
    style: str = field(default="apa", metadata=_doc("Reference style: apa, ieee, chicago, mla, vancouver, or a path to a .csl file."))
    citation_commands: list[str] = field(default_factory=list, metadata=_doc("Your own LaTeX commands that take citation keys, e.g. [\"mycite\"]."))
    check_undefined: bool = field(default=True, metadata=_doc("Report keys that no bibliography defines."))
    check_duplicates: bool = field(default=True, metadata=_doc("Report keys defined twice."))
    check_required_fields: bool = field(default=True, metadata=_doc("Report entries that lack the fields their type requires."))
    check_unused: bool = field(default=True, metadata=_doc("Hint at entries that the document never cites (editor only unless unused_in_lint)."))
    unused_in_lint: bool = field(default=False, metadata=_doc("Also report unused entries in `marginalia lint`."))
    check_doi_in_url: bool = field(default=True, metadata=_doc("Report DOI links given in the url field."))
    check_year: bool = field(default=True, metadata=_doc("Report year fields that are not a year."))
    check_title_case: bool = field(default=True, metadata=_doc("Report capitalised title words that BibTeX styles would lower-case."))
