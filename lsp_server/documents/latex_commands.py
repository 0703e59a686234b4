"""What LaTeX commands and environments mean for prose: the parser's tables.

A command is described by an argument signature (xparse-like letters) and an
action.  Signature letters:

``s`` optional star, ``o`` optional ``[...]`` (skipped), ``m`` mandatory
``{...}`` whose use depends on the action (checked for inline commands),
``M`` mandatory ``{...}`` always skipped (keys, colours, dimensions),
``u`` mandatory read verbatim (URLs: ``%`` and ``#`` are not special there).

Keeping these as data lets user settings (``latex.commands``) override any
entry with the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Act(Enum):
    """What a command does to the prose."""

    INLINE = "inline"  # drop the command, check its 'm' arguments in place
    SIDE = "side"  # its 'm' argument becomes a chunk of its own (footnote, caption)
    HEADING = "heading"  # like SIDE, and it also ends the surrounding paragraph
    IGNORE = "ignore"  # drop the command and all its arguments
    CITE_PAREN = "cite-paren"
    CITE_TEXT = "cite-text"
    REFERENCE = "reference"
    URL = "url"  # \url{...}: a URL placeholder
    HREF = "href"  # \href{url}{text}: the text is checked
    CODE = "code"  # \texttt{...}: a code placeholder read like its content
    VERB = "verb"  # \verb|...| and friends: delimited verbatim code
    PLACEHOLDER = "placeholder"  # a noun read by its first argument (\SI{8}{\hour})
    ACRONYM = "acronym"  # \ac{svm}: a noun read like the acronym
    SYMBOL = "symbol"  # a fixed character or word (\ldots, \ss)
    NAME = "name"  # a fixed word that is not to be spell-checked (\LaTeX)
    SPACE = "space"  # \quad, \newline: a space
    PAR = "par"  # \par: ends the paragraph
    ITEM = "item"
    ACCENT = "accent"  # \c{c}, \v{s}: a combining mark on the argument
    MATH = "math"  # \ensuremath{...}
    DEFINITION = "definition"  # \newcommand and friends: skipped as a whole
    INCLUDE = "include"  # \input{file}: dropped (collected in meta by a pre-scan)
    OPEN_QUOTE = "open-quote"  # \og (French opening guillemet)
    CLOSE_QUOTE = "close-quote"  # \fg


@dataclass(frozen=True, slots=True)
class Command:
    args: str
    act: Act
    text: str = ""  # SYMBOL/NAME text, SIDE role, ACCENT combining mark


def _table(act: Act, args: str, names: str, text: str = "") -> dict[str, Command]:
    return {n: Command(args, act, text) for n in names.split()}


SECTIONING = "part chapter section subsection subsubsection paragraph subparagraph addchap addsec addpart minisec frametitle framesubtitle"

COMMANDS: dict[str, Command] = {}
COMMANDS.update(_table(Act.HEADING, "som", SECTIONING + " title subtitle", "heading"))
COMMANDS.update(_table(Act.SIDE, "som", "caption subcaption", "caption"))
COMMANDS["captionof"] = Command("sMom", Act.SIDE, "caption")
COMMANDS.update(_table(Act.SIDE, "om", "footnote footnotetext marginpar todo", "footnote"))
COMMANDS.update(_table(Act.SIDE, "m", "thanks", "footnote"))
COMMANDS["abstract"] = Command("m", Act.SIDE, "paragraph")
COMMANDS.update(
    _table(
        Act.INLINE,
        "m",
        "emph textbf textit textsl textsc textup textmd textrm textsf textnormal underline uline uuline "
        "sout st ul hl mbox fbox hbox text textls uppercase lowercase MakeUppercase MakeLowercase "
        "textenglish textfrench textgerman textspanish textitalian ensuretext",
    )
)
COMMANDS.update(_table(Act.INLINE, "sm", "enquote"))
COMMANDS.update(_table(Act.INLINE, "oMm", "foreignlanguage textcolor colorbox glslink glsdisp"))
COMMANDS.update(_table(Act.INLINE, "Mm", "foreignquote hyperlink hypertarget"))
COMMANDS.update(_table(Act.INLINE, "om", "hyperref"))
COMMANDS["fcolorbox"] = Command("oMMm", Act.INLINE)
COMMANDS["multicolumn"] = Command("MMm", Act.INLINE)
COMMANDS["multirow"] = Command("MoMom", Act.INLINE)
COMMANDS["parbox"] = Command("oooMm", Act.INLINE)
COMMANDS["makebox"] = Command("oom", Act.INLINE)
COMMANDS["framebox"] = Command("oom", Act.INLINE)
COMMANDS["raisebox"] = Command("Moom", Act.INLINE)
COMMANDS["resizebox"] = Command("sMMm", Act.INLINE)
COMMANDS["scalebox"] = Command("Mom", Act.INLINE)
COMMANDS["rotatebox"] = Command("oMm", Act.INLINE)
COMMANDS["lettrine"] = Command("omm", Act.INLINE)
COMMANDS["texorpdfstring"] = Command("mM", Act.INLINE)

COMMANDS.update(
    _table(
        Act.CITE_PAREN,
        "soo",
        "cite citep citealp Citep Citealp parencite Parencite autocite Autocite footcite footcitetext "
        "supercite smartcite Smartcite fullcite footfullcite citeyear citeyearpar citetitle Citetitle "
        "cites parencites Parencites autocites Autocites footcites supercites smartcites citeurl",
    )
)
COMMANDS.update(
    _table(
        Act.CITE_TEXT,
        "soo",
        "citet Citet citealt Citealt textcite Textcite textcites Textcites citeauthor Citeauthor citefullauthor",
    )
)
COMMANDS.update(
    _table(
        Act.REFERENCE,
        "sM",
        "ref eqref cref Cref autoref Autoref pageref nameref vref Vref vpageref labelcref subref "
        "cpageref Cpageref namecref nameCref lcnamecref crefrange Crefrange",
    )
)
COMMANDS["crefrange"] = Command("sMM", Act.REFERENCE)
COMMANDS["Crefrange"] = Command("sMM", Act.REFERENCE)
COMMANDS.update(_table(Act.URL, "u", "url nolinkurl doi email path"))
COMMANDS["href"] = Command("oum", Act.HREF)
COMMANDS.update(_table(Act.CODE, "m", "texttt code mono"))
COMMANDS["mintinline"] = Command("oM", Act.VERB)
COMMANDS.update(_table(Act.VERB, "", "verb Verb lstinline"))
COMMANDS.update(_table(Act.PLACEHOLDER, "oMM", "SI qty SIrange qtyrange numrange SIlist qtylist"))
COMMANDS["SIrange"] = Command("oMMM", Act.PLACEHOLDER)
COMMANDS["qtyrange"] = Command("oMMM", Act.PLACEHOLDER)
COMMANDS.update(_table(Act.PLACEHOLDER, "oM", "num numlist ang si unit tablenum"))
COMMANDS.update(
    _table(
        Act.ACRONYM,
        "soM",
        "ac acp acs acsp acl aclp acf acfp Ac Acp Acs Acl Acf Aclp Acfp acused acro "
        "gls glspl Gls Glspl GLS GLSpl glsname glstext glsplural glsfirst acrshort acrlong acrfull "
        "Acrshort Acrlong Acrfull acrshortpl acrlongpl acrfullpl glsentrytext glsentryname glssymbol",
    )
)
COMMANDS.update(_table(Act.MATH, "m", "ensuremath"))

COMMANDS.update(
    _table(
        Act.IGNORE,
        "",
        "noindent indent centering raggedright raggedleft small footnotesize scriptsize tiny large Large "
        "LARGE huge Huge normalsize bfseries itshape rmfamily sffamily ttfamily mdseries upshape slshape "
        "scshape em bf it rm sf tt sc sl normalfont selectfont medskip smallskip bigskip vfill hfill hfil "
        "vfil hss null relax protect xspace ignorespaces unskip frontmatter mainmatter backmatter appendix "
        "dominitoc minitoc singlespacing onehalfspacing doublespacing sloppy fussy makeatletter makeatother "
        "allowbreak hline maketitle tableofcontents listoffigures listoftables clearpage cleardoublepage "
        "newpage nopagebreak linenumbers nolinenumbers centerline and sloppypar nobreak "
        "strut mathstrut leavevmode phantomsection FloatBarrier printindex printglossary printglossaries "
        "printnomenclature makeindex makeglossaries frenchspacing nonfrenchspacing hrule vrule hrulefill "
        "dotfill endgraf noalign baselineskip today fi else iftrue "
        "ifdefined ifx ifLuaTeX ifXeTeX ifpdf expandafter global long outer begingroup endgroup bgroup "
        "egroup displaystyle textstyle scriptstyle",
    )
)
COMMANDS.update(
    _table(
        Act.IGNORE,
        "M",
        "label index glossary pagestyle thispagestyle pagenumbering bibliographystyle hypersetup "
        "graphicspath DeclareGraphicsExtensions phantom hphantom vphantom cline usetikzlibrary "
        "setmainlanguage setdefaultlanguage setotherlanguage setotherlanguages selectlanguage "
        "newcounter stepcounter refstepcounter altaffilmark date address affil affiliation "
        "orcid ORCID inputencoding fontencoding theoremstyle linespread includeonly bibliography "
        "textsuperscript textsubscript markright tag nocite",
    )
)
COMMANDS.update(
    _table(
        Act.IGNORE,
        "o",
        "printbibliography linebreak pagebreak footnotemark toprule midrule bottomrule addlinespace",
    )
)
COMMANDS.update(
    _table(
        Act.IGNORE,
        "oM",
        "usepackage RequirePackage documentclass color setmainfont setsansfont setmonofont fontspec addbibresource cmidrule",
    )
)
COMMANDS.update(_table(Act.IGNORE, "sM", "vspace hspace"))
COMMANDS.update(
    _table(
        Act.IGNORE,
        "MM",
        "setlength addtolength setcounter addtocounter markboth settowidth fontsize altaffiltext",
    )
)
COMMANDS.update(_table(Act.IGNORE, "MMM", "definecolor"))
COMMANDS.update(_table(Act.IGNORE, "oMM", "nomenclature"))
# Author names and addresses are not prose: checking them only yields spelling noise.
COMMANDS.update(_table(Act.IGNORE, "oM", "author includepdf missingfigure"))
COMMANDS["includegraphics"] = Command("soM", Act.IGNORE)
COMMANDS.update(_table(Act.IGNORE, "sM", "newlength"))
COMMANDS.update(
    _table(
        Act.DEFINITION,
        "",
        "newcommand renewcommand providecommand DeclareRobustCommand def gdef edef xdef let "
        "newenvironment renewenvironment newtheorem DeclareMathOperator newcolumntype NewDocumentCommand "
        "RenewDocumentCommand ProvideDocumentCommand DeclareDocumentCommand NewDocumentEnvironment newif "
        "newacronym newglossaryentry DeclareAcronym acrodef",
    )
)
COMMANDS.update(
    _table(Act.INCLUDE, "", "input include subfile import subimport inputfrom subinputfrom includefrom subincludefrom")
)
COMMANDS.update(_table(Act.SPACE, "", "quad qquad enspace enskip thinspace nobreakspace space newline"))
COMMANDS["par"] = Command("", Act.PAR)
COMMANDS["item"] = Command("", Act.ITEM)
COMMANDS["bibitem"] = Command("oM", Act.ITEM)
COMMANDS["og"] = Command("", Act.OPEN_QUOTE, "«\u00a0")
COMMANDS["fg"] = Command("", Act.CLOSE_QUOTE, "\u00a0»")

_SYMBOLS = {
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "ss": "ß",
    "SS": "SS",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    "S": "§",
    "P": "¶",
    "dag": "†",
    "ddag": "‡",
    "copyright": "©",
    "textcopyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "pounds": "£",
    "textsterling": "£",
    "euro": "€",
    "texteuro": "€",
    "textdegree": "°",
    "degree": "°",
    "textbackslash": "\\",
    "textasciitilde": "~",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textquotedblleft": "\u201c",
    "textquotedblright": "\u201d",
    "textquoteleft": "\u2018",
    "textquoteright": "\u2019",
    "textendash": "–",
    "textemdash": "—",
    "textbullet": "•",
    "guillemotleft": "«",
    "guillemotright": "»",
    "guillemetleft": "«",
    "guillemetright": "»",
    "slash": "/",
    "textasciicircum": "^",
    "textperiodcentered": "·",
    "textpercent": "%",
    "textdollar": "$",
    "textsection": "§",
    "textparagraph": "¶",
    "textdagger": "†",
    "textdaggerdbl": "‡",
    "textmu": "µ",
    "textonehalf": "½",
    "texttimes": "×",
    "textminus": "−",
    "nobreakdash": "",
    "textquotesingle": "'",
    "textquotedbl": '"',
    "textexclamdown": "¡",
    "textquestiondown": "¿",
    "lq": "\u2018",
    "rq": "\u2019",
}
COMMANDS.update({name: Command("", Act.SYMBOL, text) for name, text in _SYMBOLS.items()})
_NAMES = {
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "TeX": "TeX",
    "XeLaTeX": "XeLaTeX",
    "XeTeX": "XeTeX",
    "LuaLaTeX": "LuaLaTeX",
    "LuaTeX": "LuaTeX",
    "BibTeX": "BibTeX",
    "pdfLaTeX": "pdfLaTeX",
    "pdfTeX": "pdfTeX",
    "ConTeXt": "ConTeXt",
    "BibLaTeX": "BibLaTeX",
    "AmS": "AMS",
    "AMSLaTeX": "AMS-LaTeX",
}
COMMANDS.update({name: Command("", Act.NAME, text) for name, text in _NAMES.items()})

# Text-mode accents: the combining mark each one puts on its argument.
ACCENT_MARKS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}
COMMANDS.update({name: Command("", Act.ACCENT, mark) for name, mark in ACCENT_MARKS.items() if name.isalpha()})

# Control symbols (backslash + one non-letter) that stand for a character.
ESCAPED_CHARS = {"%": "%", "&": "&", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}"}
# Control symbols that stand for a space, or for nothing.
SPACE_SYMBOLS = frozenset(" \t\n\r,;:>")
SILENT_SYMBOLS = frozenset("!-/@*|")


class Env(Enum):
    """How an environment's content reads."""

    MATH = "math"  # a placeholder, like $...$
    SKIP = "skip"  # verbatim-like: content is not prose and not parsed
    LIST = "list"  # itemize & co: a paragraph boundary, \item starts chunks
    FLOAT = "float"  # figure/table: a boundary; captions become chunks
    TABLE = "table"  # tabular & co: cells become chunks
    BLOCK = "block"  # checked content, a paragraph boundary (quote, theorem)
    INLINE = "inline"  # checked content inside the running paragraph


@dataclass(frozen=True, slots=True)
class Environment:
    args: str  # arguments after \begin{name}, all skipped
    kind: Env


def _envs(kind: Env, args: str, names: str) -> dict[str, Environment]:
    out: dict[str, Environment] = {}
    for n in names.split():
        out[n] = Environment(args, kind)
    return out


_MATH_ENVS = "equation align gather multline eqnarray displaymath math flalign alignat dmath dgroup IEEEeqnarray"
ENVIRONMENTS: dict[str, Environment] = {}
for _n in _MATH_ENVS.split():
    ENVIRONMENTS[_n] = Environment("", Env.MATH)
    ENVIRONMENTS[_n + "*"] = Environment("", Env.MATH)
ENVIRONMENTS["alignat"] = Environment("", Env.MATH)
ENVIRONMENTS.update(
    _envs(
        Env.SKIP,
        "",
        "verbatim verbatim* Verbatim Verbatim* BVerbatim LVerbatim lstlisting minted comment tikzpicture "
        "pgfpicture filecontents filecontents* alltt spverbatim sourcecode pythoncode luacode luacode* "
        "asy forest tikzcd circuitikz pspicture picture dot2tex gnuplot sagesilent "
        "sageblock pycode jllisting",
    )
)
ENVIRONMENTS.update(_envs(Env.LIST, "o", "itemize enumerate description compactitem compactenum inparaenum asparaenum"))
ENVIRONMENTS["thebibliography"] = Environment("M", Env.SKIP)
ENVIRONMENTS.update(
    _envs(
        Env.FLOAT,
        "o",
        "figure figure* table table* SCfigure SCtable sidewaysfigure sidewaystable algorithm algorithm* listing",
    )
)
ENVIRONMENTS["wrapfigure"] = Environment("oMoM", Env.FLOAT)
ENVIRONMENTS["wraptable"] = Environment("oMoM", Env.FLOAT)
ENVIRONMENTS["subfigure"] = Environment("oM", Env.FLOAT)
ENVIRONMENTS["subtable"] = Environment("oM", Env.FLOAT)
ENVIRONMENTS.update(_envs(Env.TABLE, "oM", "tabular longtable array supertabular"))
ENVIRONMENTS.update(_envs(Env.TABLE, "tM", "tabu longtabu"))
ENVIRONMENTS.update(_envs(Env.TABLE, "MoM", "tabular* tabularx tabulary xtabular"))
ENVIRONMENTS.update(
    _envs(
        Env.BLOCK,
        "o",
        "abstract quote quotation verse center flushleft flushright theorem lemma corollary proposition "
        "definition remark example proof note notes conjecture exercise solution claim frame block "
        "alertblock exampleblock titlepage acknowledgments acknowledgements "
        "singlespace onehalfspace doublespace sloppypar",
    )
)
ENVIRONMENTS["adjustwidth"] = Environment("MM", Env.BLOCK)
ENVIRONMENTS["spacing"] = Environment("M", Env.BLOCK)
ENVIRONMENTS["multicols"] = Environment("Mo", Env.BLOCK)
ENVIRONMENTS["minipage"] = Environment("oooM", Env.BLOCK)
ENVIRONMENTS["otherlanguage"] = Environment("oM", Env.BLOCK)
ENVIRONMENTS["otherlanguage*"] = Environment("oM", Env.INLINE)
ENVIRONMENTS["foreign"] = Environment("M", Env.INLINE)
ENVIRONMENTS.update(_envs(Env.INLINE, "", "small footnotesize scriptsize large Large normalsize em bfseries itshape"))
