"""Citations: .bib-aware completion, hover, checks and formatted references.

Finds the bibliographies a LaTeX or Markdown document uses, parses them with
bibtexparser, checks keys and entries, completes keys in every citation command,
shows formatted references (CSL through citeproc-py) on hover, and converts
citations between LaTeX and pandoc forms.
"""

from marginalia_citations.plugin import CitationsPlugin
from marginalia_citations.settings import CitationsSettings

__all__ = ["CitationsPlugin", "CitationsSettings"]
