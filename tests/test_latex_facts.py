"""Whole-buffer facts carried across edits equal the facts scanned afresh, and are carried only when safe."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lsp_server.documents.latex_facts import after_edit, scan

SOURCE = (
    "\\documentclass{book}\n\\usepackage[ngerman]{babel}\n"
    "\\newcommand{\\product}{Marginalia\n" + "  a long body " * 30 + "Pro}\n"
    "\\begin{document}\n"
    "First paragraph with \\product{} in it.\n\n"
    "\\input{chapters/one}\n\n"
    + "A long paragraph of words far from any command. " * 6
    + "\n\nSecond paragraph, rather plain.\n\n"
    "\\newcommand{\\inbody}{Words\n" + "  more words " * 30 + "End}\n\n"
    "\\def\\tool{a tool}\n"
    "Third paragraph before the bibliography.\n\n"
    "\\bibliography{refs,more}\n"
    "\\end{document}\n"
)


def _carried(edited: str) -> bool:
    carried = after_edit(scan(SOURCE), edited)
    if carried is not None:
        assert carried == scan(edited)
    return carried is not None


def test_typing_in_a_plain_paragraph_keeps_the_facts_and_shifts_positions() -> None:
    edited = SOURCE.replace("rather plain", "rather plainer")
    assert _carried(edited)
    carried = after_edit(scan(SOURCE), edited)
    assert carried is not None
    assert carried.includes == scan(SOURCE).includes  # before the edit
    assert carried.body[1] == scan(SOURCE).body[1] + 2  # the body end moved with the text


def test_edits_where_facts_come_from_scan_again() -> None:
    edits = [
        SOURCE.replace("words End}", "words Endx}"),  # inside a definition's body, far below its command
        SOURCE.replace("chapters/one", "chapters/ones"),  # an include's name
        SOURCE.replace("refs,more", "refs,mores"),  # a bibliography's name
        SOURCE.replace("a tool", "the tool"),  # a \def body
        SOURCE.replace("ngerman", "english"),  # the preamble
        SOURCE.replace("rather plain.", "rather plain.\n"),  # a line break
        SOURCE.replace("rather plain.", "rather {plain}."),  # braces
        SOURCE.replace("Third paragraph", "Third % paragraph"),  # a comment
    ]
    for edited in edits:
        assert not _carried(edited), edited
    half = SOURCE.replace("\\input{chapters/one}", "\\inpu{chapters/one}")
    assert after_edit(scan(half), SOURCE) is None  # typing the last letter of \input


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_carried_facts_always_equal_a_fresh_scan(data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(SOURCE)))
    cut = data.draw(st.integers(0, 12))
    typed = data.draw(st.sampled_from(["x", "e ", "", "\\", "{", "}", "%", "\n", "t", "]", "$", "input"]))
    edited = SOURCE[:at] + typed + SOURCE[at + cut :]
    carried = after_edit(scan(SOURCE), edited)
    if carried is not None:
        assert carried == scan(edited)
