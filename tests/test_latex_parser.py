"""The LaTeX parser, construct by construct: what prose it reads and where each word maps."""

from __future__ import annotations

import pytest

from lsp_server.config import LatexSettings
from lsp_server.documents import parse_document
from lsp_server.documents.latex import parse_latex
from lsp_server.documents.latex_offsets import offset_map_problems
from lsp_server.documents.model import Chunk, PieceKind, ProseDocument


def parse(source: str, settings: LatexSettings | None = None) -> ProseDocument:
    doc = parse_latex(source, "", None, settings or LatexSettings(), cache=False)
    assert offset_map_problems(doc) == []
    return doc


def prose(source: str, settings: LatexSettings | None = None) -> list[str]:
    return [c.text for c in parse(source, settings).chunks]


def one(source: str, settings: LatexSettings | None = None) -> str:
    chunks = prose(source, settings)
    assert len(chunks) == 1, chunks
    return chunks[0]


def source_of(doc: ProseDocument, word: str, nth: int = 0) -> str:
    """The source text a prose word maps back to."""
    seen = 0
    for chunk in doc.chunks:
        i = chunk.text.find(word)
        while i >= 0:
            if seen == nth:
                a, b = chunk.to_source(i, i + len(word))
                return doc.source[a:b]
            seen += 1
            i = chunk.text.find(word, i + 1)
    raise AssertionError(f"{word!r} not in prose {[c.text for c in doc.chunks]}")


def kinds(chunk: Chunk) -> list[PieceKind]:
    return [p.kind for p in chunk.pieces]


# -- math ----------------------------------------------------------------------------


def test_inline_math_reads_as_a_placeholder_chosen_by_its_reading() -> None:
    doc = parse("This is an $x$ and a $y$, or an $\\alpha$.")
    assert doc.chunks[0].text == "This is an X and a Y, or an X."
    assert source_of(doc, "X") == "$x$"
    assert source_of(doc, "Y") == "$y$"
    assert PieceKind.MATH in kinds(doc.chunks[0])


@pytest.mark.parametrize(
    "math",
    [
        "\\(x\\)",
        "$$x = 1$$",
        "\\[x = 1\\]",
        "\\begin{equation}x = 1\\end{equation}",
        "\\begin{equation*}x = 1\\end{equation*}",
        "\\begin{align}x &= 1\\\\ y &= 2\\end{align}",
        "\\begin{align*}x &= 1\\end{align*}",
        "\\begin{gather}x\\end{gather}",
        "\\begin{multline}x\\end{multline}",
        "\\begin{eqnarray}x\\end{eqnarray}",
        "\\begin{eqnarray*}x\\end{eqnarray*}",
        "\\begin{displaymath}x\\end{displaymath}",
    ],
)
def test_every_math_form_is_one_placeholder_in_the_sentence(math: str) -> None:
    doc = parse(f"We have {math} for all inputs.")
    assert doc.chunks[0].text == "We have X for all inputs."
    assert source_of(doc, "X") == math


def test_display_math_keeps_its_final_punctuation() -> None:
    src = "The energy is\n\\begin{equation}\n  E = mc^2 .\n  \\label{eq:e}\n\\end{equation}\nThen we stop."
    doc = parse(src)
    assert doc.chunks[0].text == "The energy is\nX.\nThen we stop."
    chunk = doc.chunks[0]
    dot = chunk.text.index("X.") + 1
    a, b = chunk.to_source(dot, dot + 1)
    assert src[a:b] == "." and src[a - 1] == " "


def test_display_math_with_a_comma_continues_the_sentence() -> None:
    assert one("so that\n\\[ a = b, \\]\nwhere $a$ is known.") == "so that\nX,\nwhere X is known."


def test_escaped_dollar_and_percent_are_text_not_math_or_comment() -> None:
    doc = parse("It costs \\$5 or 50\\% more.")
    assert doc.chunks[0].text == "It costs $5 or 50% more."
    assert source_of(doc, "%") == "\\%"


# -- citations, references, links, code --------------------------------------------


@pytest.mark.parametrize(
    ("markup", "reading"),
    [
        ("\\cite{a}", "[1]"),
        ("\\cite[p.~3]{a,b}", "[1]"),
        ("\\citep[see][p. 2]{a}", "[1]"),
        ("\\citep*{a}", "[1]"),
        ("\\parencite{a}", "[1]"),
        ("\\autocite{a}", "[1]"),
        ("\\footcite{a}", "[1]"),
        ("\\cites{a}{b}", "[1]"),
        ("\\cites[p. 1]{a}[p. 2]{b}", "[1]"),
        ("\\citeyear{a}", "[1]"),
        ("\\citet{a}", "Smith"),
        ("\\citet*{a}", "Smith"),
        ("\\textcite{a}", "Smith"),
        ("\\citeauthor{a}", "Smith"),
    ],
)
def test_citations_become_citation_placeholders(markup: str, reading: str) -> None:
    doc = parse(f"As shown {markup} here.")
    assert doc.chunks[0].text == f"As shown {reading} here."
    assert source_of(doc, reading) == markup
    assert PieceKind.CITATION in kinds(doc.chunks[0])


def test_nocite_is_dropped() -> None:
    assert one("Text\\nocite{*} here\\nocite{a}.") == "Text here."


@pytest.mark.parametrize(
    "markup",
    ["\\ref{x}", "\\eqref{x}", "\\cref{x}", "\\Cref{x}", "\\autoref{x}", "\\pageref{x}", "\\nameref{x}", "\\ref*{x}"],
)
def test_references_become_reference_placeholders(markup: str) -> None:
    doc = parse(f"See Section~{markup} for more.")
    assert doc.chunks[0].text == "See Section 1 for more."
    assert source_of(doc, "1") == markup
    assert PieceKind.REFERENCE in kinds(doc.chunks[0])


def test_url_is_a_placeholder_and_href_text_is_checked() -> None:
    doc = parse("Visit \\url{https://x.org/a%20b#c} or \\href{https://x.org}{our nice site} today.")
    assert doc.chunks[0].text == "Visit URL or our nice site today."
    assert source_of(doc, "URL") == "\\url{https://x.org/a%20b#c}"
    assert source_of(doc, "nice") == "nice"
    href_text = next(
        p for p in doc.chunks[0].pieces if doc.chunks[0].text[p.prose_start : p.prose_end] == "our nice site"
    )
    assert href_text.kind is PieceKind.TEXT


@pytest.mark.parametrize(
    ("markup", "reading"),
    [
        ("\\verb|if x|", "X"),
        ("\\verb+for_each+", "Y"),
        ("\\verb*|a b|", "X"),
        ("\\texttt{import os}", "X"),
        ("\\lstinline|x = 1|", "X"),
        ("\\texttt{make}", "Y"),
    ],
)
def test_inline_code_is_a_code_placeholder_read_like_its_content(markup: str, reading: str) -> None:
    doc = parse(f"Use {markup} there.")
    assert doc.chunks[0].text == f"Use {reading} there."
    assert source_of(doc, reading) == markup
    assert PieceKind.CODE in kinds(doc.chunks[0])


# -- what is skipped -------------------------------------------------------------------


def test_comments_are_skipped_but_escaped_percent_is_not_a_comment() -> None:
    assert one("One 5\\% rise % a remark with $math$\ncontinues here.") == "One 5% rise continues here."


def test_comment_glues_lines_like_tex_does() -> None:
    assert one("exam%\n  ple words") == "example words"


def test_blank_line_after_comment_line_still_ends_the_paragraph() -> None:
    assert prose("First.\n% note\n\nSecond.") == ["First.", "Second."]


def test_preamble_is_skipped_and_end_document_ends_the_body() -> None:
    src = "\\documentclass{article}\n\\title{Not checked here}\n\\begin{document}\nBody text.\n\\end{document}\nTrailing junk."
    assert prose(src) == ["Body text."]


def test_file_without_begin_document_is_all_body() -> None:
    assert prose("\\section{Intro}\nFragment text.") == ["Intro", "Fragment text."]


@pytest.mark.parametrize(
    "env",
    [
        "verbatim",
        "Verbatim",
        "lstlisting",
        "comment",
        "tikzpicture",
        "pgfpicture",
    ],
)
def test_verbatim_like_environments_are_skipped(env: str) -> None:
    src = f"Before.\n\\begin{{{env}}}\nint x = $1; % not a comment {{\n\\end{{{env}}}\nAfter."
    chunks = prose(src)
    assert chunks == ["Before.", "After."]


def test_minted_with_language_argument_is_skipped() -> None:
    assert prose("Code:\n\\begin{minted}{python}\nprint('hi')\n\\end{minted}\nDone.") == ["Code:", "Done."]


def test_skipped_commands_leave_no_trace() -> None:
    src = (
        "A word\\label{sec:x} and \\includegraphics[width=2cm]{fig.pdf} more\\index{more} "
        "text\\bibliographystyle{plain}\\bibliography{refs}."
    )
    assert one(src) == "A word and more text."


def test_definitions_in_the_body_are_skipped() -> None:
    src = "\\newcommand{\\foo}[1]{Hello #1}\\renewcommand\\bar{x}\\def\\baz#1{y}Real text."
    assert one(src) == "Real text."


def test_tabular_spec_and_figure_placement_are_skipped_and_cells_are_chunks() -> None:
    src = "\\begin{figure}[!ht]\n\\begin{tabular}{l|c}\nApple & Pear \\\\\n\\hline\nRed & Green\\\\\n\\end{tabular}\n\\caption{Fruit colours.}\n\\end{figure}"
    doc = parse(src)
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("table", "Apple"),
        ("table", "Pear"),
        ("table", "Red"),
        ("table", "Green"),
        ("caption", "Fruit colours."),
    ]


def test_begin_and_end_lines_are_not_prose() -> None:
    assert prose("\\begin{quote}\nQuoted words.\n\\end{quote}") == ["Quoted words."]


# -- text arguments and chunk roles --------------------------------------------------


@pytest.mark.parametrize("cmd", ["emph", "textbf", "textit", "textsc", "mbox", "text", "underline", "textsf"])
def test_text_command_arguments_are_checked_in_place(cmd: str) -> None:
    doc = parse(f"A \\{cmd}{{bold move}} here.")
    assert doc.chunks[0].text == "A bold move here."
    assert source_of(doc, "bold move") == "bold move"


@pytest.mark.parametrize(
    "heading",
    [
        "\\section{Results}",
        "\\section*{Results}",
        "\\section[Short]{Results}",
        "\\subsection{Results}",
        "\\chapter{Results}",
        "\\paragraph{Results}",
        "\\subsubsection*{Results}",
    ],
)
def test_sectioning_becomes_its_own_heading_chunk(heading: str) -> None:
    doc = parse(f"Before text\n{heading}\nAfter text.")
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("paragraph", "Before text"),
        ("heading", "Results"),
        ("paragraph", "After text."),
    ]
    assert source_of(doc, "Results") == "Results"


def test_footnote_is_its_own_chunk_and_the_sentence_continues() -> None:
    doc = parse("The claim\\footnote{See the appendix.} holds.")
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("paragraph", "The claim holds."),
        ("footnote", "See the appendix."),
    ]


def test_caption_is_its_own_chunk() -> None:
    doc = parse("\\begin{figure}\n\\centering\n\\caption[Short]{A long caption.}\\label{f}\n\\end{figure}")
    assert [(c.role, c.text) for c in doc.chunks] == [("caption", "A long caption.")]


def test_items_are_chunks_and_labels_are_read() -> None:
    doc = parse("Intro:\n\\begin{itemize}\n\\item First point.\n\\item[Term] Second point.\n\\end{itemize}\nAfter.")
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("paragraph", "Intro:"),
        ("item", "First point."),
        ("item", "Term: Second point."),
        ("paragraph", "After."),
    ]


def test_paragraph_ends_at_blank_line_par_and_list_boundaries() -> None:
    assert prose("One.\n\nTwo.\\par Three.\n\\begin{enumerate}\\item Four.\\end{enumerate}Five.") == [
        "One.",
        "Two.",
        "Three.",
        "Four.",
        "Five.",
    ]


def test_unknown_commands_are_dropped_but_their_text_arguments_are_checked() -> None:
    doc = parse("A \\mymacro{wrapped words}[opt]{more} end.")
    assert doc.chunks[0].text == "A wrapped words more end."


def test_unknown_command_alone_in_a_sentence_reads_as_a_word() -> None:
    doc = parse("On a \\gls network, nodes talk.")
    assert doc.chunks[0].text.startswith("On a ")
    doc = parse("In a \\widget, nodes talk.")
    assert doc.chunks[0].text == "In a Y, nodes talk."
    assert PieceKind.COMMAND in kinds(doc.chunks[0])


def test_layout_commands_do_not_leave_double_spaces() -> None:
    assert one("\\noindent Some \\label{x} text \\vspace{2mm} here.") == "Some text here."


# -- characters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("\\'e", "é"),
        ("\\`e", "è"),
        ("\\^o", "ô"),
        ('\\"u', "ü"),
        ("\\~n", "ñ"),
        ("\\c{c}", "ç"),
        ("\\c c", "ç"),
        ("\\v{s}", "š"),
        ("{\\'e}", "é"),
        ("\\'{e}", "é"),
        ("\\'{\\i}", "í"),
        ("\\=a", "ā"),
        ("\\H{o}", "ő"),
    ],
)
def test_accents_become_characters(markup: str, text: str) -> None:
    doc = parse(f"caf{markup} ok")
    assert doc.chunks[0].text == f"caf{text} ok"
    assert source_of(doc, text).replace("{", "").replace("}", "") == markup.replace("{", "").replace("}", "")


def test_letter_commands_join_their_word() -> None:
    assert one('Stra\\ss e, \\ae ther, \\o re, \\AA ngstr\\"om') == "Straße, æther, øre, Ångström"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("``quoted''", "\u201cquoted\u201d"),
        ("`single'", "\u2018single'"),
        ("1--2", "1–2"),
        ("yes---no", "yes—no"),
        ("a~b", "a b"),
        ("\\% \\& \\$ \\# \\_", "% & $ # _"),
        ("wait\\ldots", "wait…"),
        ("wait\\dots", "wait…"),
        ("5\\,km", "5 km"),
        ("Dr.\\ Who", "Dr. Who"),
        ("line\\\\next", "line next"),
        ("line\\\\[2pt] next", "line next"),
        ("\\LaTeX{} rocks", "LaTeX rocks"),
    ],
)
def test_tex_punctuation_reads_naturally(markup: str, text: str) -> None:
    assert one(markup) == text


def test_french_guillemets() -> None:
    assert one("Il dit \\og bonjour\\fg{} puis part.") == "Il dit «\u00a0bonjour\u00a0» puis part."


# -- settings and package tables ----------------------------------------------------


def test_user_commands_ignore_placeholder_check_and_check_n() -> None:
    settings = LatexSettings(
        commands={"\\secret": "ignore", "\\product": "placeholder", "\\note": "check", "\\pair": "check:2"},
    )
    doc = parse("A \\secret{hidden} word, an \\product{iPhone} \\note{here} and \\pair{no}{yes}.", settings)
    assert doc.chunks[0].text == "A word, an X here and yes."
    assert source_of(doc, "X") == "\\product{iPhone}"


def test_user_environments_ignore_and_check() -> None:
    settings = LatexSettings(environments={"answer": "ignore", "myquote": "check"})
    src = "\\begin{answer}\nHidden text.\n\\end{answer}\n\\begin{myquote}\nShown text.\n\\end{myquote}"
    assert prose(src, settings) == ["Shown text."]


def test_siunitx_reads_by_its_number() -> None:
    doc = parse("It took an \\SI{8}{\\hour} walk and a \\qty{5}{\\km} run, \\num{11} times.")
    assert doc.chunks[0].text == "It took an X walk and a Y run, X times."
    assert source_of(doc, "X") == "\\SI{8}{\\hour}"


def test_acronym_packages_read_like_the_acronym() -> None:
    doc = parse("We train an \\ac{svm} and a \\gls{gpu}.")
    assert doc.chunks[0].text == "We train an X and a Y."


def test_todo_notes_are_separate_chunks() -> None:
    doc = parse("Text here\\todo[inline]{Fix this later.} ends.")
    assert [c.text for c in doc.chunks] == ["Text here ends.", "Fix this later."]


def test_document_macros_read_as_their_expansion() -> None:
    src = (
        "\\documentclass{article}\n"
        "\\newcommand{\\etal}{\\emph{et~al.}}\n"
        "\\newcommand{\\Sect}[1]{Section~\\ref{sect:#1}}\n"
        "\\newcommand{\\idx}[1]{#1\\index{#1}}\n"
        "\\newcommand{\\practicesection}[2]{\\section{#1}\\label{#2}}\n"
        "\\begin{document}\n"
        "\\practicesection{Data Management}{sec:data}\n"
        "Smith \\etal{} showed in \\Sect{intro} that \\idx{routing} works.\n"
        "\\end{document}\n"
    )
    doc = parse(src)
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("heading", "Data Management"),
        ("paragraph", "Smith et al. showed in Section 1 that routing works."),
    ]
    assert source_of(doc, "et al.") == "\\etal"
    assert source_of(doc, "routing") == "routing"
    placeholder = doc.chunks[1].piece_at(doc.chunks[1].text.index("et al."))
    assert placeholder is not None and placeholder.kind is PieceKind.COMMAND


def test_self_referencing_macro_does_not_loop() -> None:
    src = "\\def\\a{\\a}\\newcommand{\\b}{\\b x}\\begin{document}Text \\a and \\b end.\\end{document}"
    assert parse(src).chunks[0].text.startswith("Text")


# -- what the parser learns ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("preamble", "tag"),
    [
        ("\\usepackage[french]{babel}", "fr"),
        ("\\usepackage[english,french]{babel}", "fr"),
        ("\\usepackage[british]{babel}", "en-GB"),
        ("\\usepackage[UKenglish]{babel}", "en-GB"),
        ("\\usepackage[american]{babel}", "en-US"),
        ("\\usepackage[english]{babel}", "en-US"),
        ("\\usepackage[ngerman]{babel}", "de"),
        ("\\usepackage[main=british,french]{babel}", "en-GB"),
        ("\\usepackage{polyglossia}\n\\setmainlanguage{french}", "fr"),
        ("\\usepackage{polyglossia}\n\\setdefaultlanguage[variant=british]{english}", "en-GB"),
        ("% \\usepackage[french]{babel}\n\\usepackage[german]{babel}", "de"),
        ("\\usepackage{amsmath}", None),
    ],
)
def test_declared_language(preamble: str, tag: str | None) -> None:
    doc = parse(f"\\documentclass{{article}}\n{preamble}\n\\begin{{document}}Hi.\\end{{document}}")
    assert doc.declared_language == tag


def test_babel_takes_languages_from_the_class_options() -> None:
    doc = parse("\\documentclass[ngerman]{article}\n\\usepackage{babel}\n\\begin{document}Hallo.\\end{document}")
    assert doc.declared_language == "de"


def test_meta_lists_bibliographies_and_includes_with_spans() -> None:
    src = (
        "\\documentclass{article}\n\\addbibresource{refs.bib}\n\\begin{document}\n"
        "\\input{chapters/one}\n% \\include{commented}\n\\include{two}\\subfile{three.tex}\n"
        "\\import{parts/}{four}\n\\includeonly{two}\n\\bibliography{a, b}\n\\end{document}"
    )
    doc = parse(src)
    assert doc.meta["bibliographies"] == ["refs.bib", "a", "b"]
    includes = doc.meta["includes"]
    assert isinstance(includes, list)
    assert [(cmd, target) for cmd, target, _, _ in includes] == [
        ("input", "chapters/one"),
        ("include", "two"),
        ("subfile", "three.tex"),
        ("import", "parts/four"),
        ("includeonly", "two"),
    ]
    assert [src[a:b] for _, _, a, b in includes][:2] == ["\\input{chapters/one}", "\\include{two}"]


def test_dispatch_through_parse_document() -> None:
    doc = parse_document("Hello \\emph{world}.", "latex")
    assert doc.language_id == "latex" and doc.chunks[0].text == "Hello world."


# -- offsets: CRLF, emoji, CJK -------------------------------------------------------------


def test_crlf_paragraphs_and_exact_spans() -> None:
    src = "First line\r\nsame paragraph.\r\n\r\nSecond \\emph{para}.\r\n"
    doc = parse(src)
    # A line break inside a paragraph stays one exact "\n" (the LF of CRLF), as in Markdown.
    assert [c.text for c in doc.chunks] == ["First line\nsame paragraph.", "Second para."]
    newline = doc.chunks[0].pieces[0]
    assert newline.kind is PieceKind.TEXT and src[newline.src_start : newline.src_end] == "First line"
    assert source_of(doc, "para", 1) == "para"
    a, _ = doc.chunks[1].to_source(0, 6)
    assert a == src.index("Second")


def test_emoji_and_cjk_offsets_are_code_points() -> None:
    src = "Emoji 😀 then $x$ and 漢字 \\emph{テキスト} end."
    doc = parse(src)
    chunk = doc.chunks[0]
    assert chunk.text == "Emoji 😀 then X and 漢字 テキスト end."
    i = chunk.text.index("テキスト")
    a, b = chunk.to_source(i, i + 4)
    assert src[a:b] == "テキスト"
    i = chunk.text.index("漢字")
    assert src[slice(*chunk.to_source(i, i + 2))] == "漢字"


# -- malformed input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "note"),
    [
        ("Text \\emph{unclosed and more.\n\nNext paragraph.", "unclosed"),
        ("Stray } brace.", "unmatched"),
        ("A lone $ sign.", "unclosed '$'"),
        ("Open \\begin{itemize}\\item never closed.", "never closed"),
        ("An \\end{itemize} alone.", "without a matching"),
        ("Verb at end \\verb", "delimiter"),
        ("Verb at end \\verb|abc", "never closed"),
        ("Math \\( never closed.", "never closed"),
        ("Display $$ never closed.", "unclosed '$$'"),
    ],
)
def test_malformed_markup_is_noted_not_raised(src: str, note: str) -> None:
    doc = parse(src)
    assert any(note in message for _, _, message in doc.markup_notes), doc.markup_notes
    assert doc.chunks  # the readable text is still there


@pytest.mark.parametrize(
    "src",
    [
        "",
        "\\",
        "{",
        "}",
        "$",
        "$$",
        "\\begin",
        "\\begin{",
        "\\end{document}",
        "\\begin{document}",
        "a\x00b \x00 $x\x00$",
        "x" * 200_000,
        "{" * 5000 + "deep" + "}" * 5000,
        "\\emph{" * 3000 + "deep",
        "\\verb",
        "\\'",
        "\\c",
        "%",
        "\\item[",
        "\\section[",
        "\\href{",
        "\\begin{tabular}{",
        "\\newcommand",
        "\\def\\x",
        "\r\r\r",
    ],
)
def test_pathological_input_never_raises(src: str) -> None:
    parse(src)


def test_unclosed_brace_in_argument_is_limited_to_its_paragraph() -> None:
    doc = parse("Text \\footnote{unclosed note\n\nNext paragraph is normal.")
    assert "Next paragraph is normal." in [c.text for c in doc.chunks]


def test_preamble_fragment_without_begin_document_holds_no_prose() -> None:
    src = "% packages.tex, \\input in the preamble\n\\usepackage{amsmath}\n\\setmainfont{Linux Libertine O}\n"
    doc = parse(src)
    assert doc.chunks == ()
    assert doc.declared_language is None


def test_tabu_width_and_column_spec_are_skipped() -> None:
    src = "\\begin{tabu}to .6\\linewidth {c X[4,l]}\nLaTeX & text \\\\\n\\end{tabu}"
    assert prose(src) == ["LaTeX", "text"]


def test_thin_space_before_a_footnote_does_not_float_before_the_period() -> None:
    doc = parse("une action\\,\\footnote{Une note.}. Puis la suite~\\cite{a}.")
    assert doc.chunks[0].text == "une action. Puis la suite [1]."


def test_unknown_macro_arguments_that_look_like_keys_are_not_prose() -> None:
    # The key is not checked; the command, alone in the sentence, reads as a noun.
    doc = parse("Voir la \\sssref{sa:subsubsec:presRPSGe} et \\myref{fig2} ici.")
    assert doc.chunks[0].text == "Voir la Y et Y ici."
    assert source_of(doc, "Y") == "\\sssref{sa:subsubsec:presRPSGe}"


def test_unknown_drop_cap_macro_joins_its_letter_to_the_word() -> None:
    assert one("\\lettrineh{L}{es réseaux} sont là.") == "Les réseaux sont là."


def test_math_script_glued_to_a_word_is_not_a_separate_word() -> None:
    assert (
        one("Emissions of CO$_2$ fell by 10$^{3}$ tons, an $x_0$ less.")
        == "Emissions of CO fell by 10 tons, an X less."
    )


def test_iffalse_blocks_are_skipped() -> None:
    src = "Kept.\n\\iffalse\nOld \\ifx\\a\\b draft\\fi{} text.\n\n% \\fi in a comment\nStill old.\n\\fi\nAlso kept."
    assert prose(src) == ["Kept.\nAlso kept."]
    assert "without a matching" in parse("Text \\iffalse never closed.").markup_notes[0][2]


@pytest.mark.parametrize(
    "unit",
    [
        "{a ",
        "\\begin{x} ",
        "$$ a\n\n",
        "\\( ",
        "\\[ a\n\n",
        "\\iffalse ",
        "\\foo[",
        "\\item[",
        "\\\\[",
        "\\url{",
        "\\verb",
        "[",
        "\\begin{verbatim} ",
        "\\newcommand{\\a}{",
        "\\def\\a{",
        "x \\input{a}",
    ],
)
def test_broken_input_costs_linear_time(unit: str) -> None:
    """Thousands of unclosed openers once made the parse quadratic (15 s for 15 kB of "{a ")."""
    import time

    source = unit * (40_000 // len(unit))
    start = time.process_time()
    parse(source)
    assert time.process_time() - start < 3.0


def test_german_babel_shorthands() -> None:
    src = '\\documentclass{article}\n\\usepackage[ngerman]{babel}\n\\begin{document}\nDie Gr"o"se "uber "`alles"\' ist Stra"se und Bau"=Stelle, Bl"ocke.\n\\end{document}'
    doc = parse(src)
    assert doc.chunks[0].text == "Die Größe über „alles“ ist Straße und Bau-Stelle, Blöcke."
    assert source_of(doc, "ö") == '"o'


def test_double_quote_is_text_outside_german() -> None:
    assert one('He said "no" twice.') == 'He said "no" twice.'
