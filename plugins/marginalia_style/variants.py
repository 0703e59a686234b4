"""Spelling variants a document should not mix: color/colour, modeling/modelling, data set/dataset.

Each *family* has two or more *systems* (US/UK spelling, open/closed
compound); each system lists the family's forms in the same order, so a form
converts to the other system slot by slot ("modelled" -> "modeled").
"""

from __future__ import annotations

from dataclasses import dataclass

from marginalia_style.prose import PhraseIndex

# family -> {system: forms}; forms in the same slot order in every system.
_EXPLICIT: dict[str, dict[str, tuple[str, ...]]] = {
    "email": {"e-mail": ("e-mail", "e-mails", "e-mailed"), "email": ("email", "emails", "emailed")},
    "dataset": {"data set": ("data set", "data sets"), "dataset": ("dataset", "datasets"), "data-set": ("data-set", "data-sets")},
    "online": {"on-line": ("on-line",), "online": ("online",)},
    "website": {"web site": ("web site", "web sites"), "website": ("website", "websites")},
    "toward": {"toward": ("toward",), "towards": ("towards",)},
    "among": {"among": ("among",), "amongst": ("amongst",)},
    "gray": {"gray": ("gray", "grays", "grayscale"), "grey": ("grey", "greys", "greyscale")},
    "analyze": {"-yze": ("analyze", "analyzed", "analyzing", "analyzer", "analyzers"), "-yse": ("analyse", "analysed", "analysing", "analyser", "analysers")},
    "center": {"-er": ("center", "centers", "centered", "centering"), "-re": ("centre", "centres", "centred", "centring")},
    "fiber": {"-er": ("fiber", "fibers"), "-re": ("fibre", "fibres")},
    "defense": {"-se": ("defense", "defenses"), "-ce": ("defence", "defences")},
    "judgment": {"judgment": ("judgment", "judgments"), "judgement": ("judgement", "judgements")},
    "acknowledgment": {"acknowledgment": ("acknowledgment", "acknowledgments"), "acknowledgement": ("acknowledgement", "acknowledgements")},
    "aging": {"aging": ("aging",), "ageing": ("ageing",)},
    "artifact": {"artifact": ("artifact", "artifacts"), "artefact": ("artefact", "artefacts")},
    "skeptical": {"skeptic": ("skeptical", "skepticism"), "sceptic": ("sceptical", "scepticism")},
    "catalog": {"catalog": ("catalog", "catalogs"), "catalogue": ("catalogue", "catalogues")},
    "percent": {"percent": ("percent",), "per cent": ("per cent",)},
    "learned": {"learned": ("learned",), "learnt": ("learnt",)},
    "focused": {"focused": ("focused", "focusing"), "focussed": ("focussed", "focussing")},
    "cooperate": {"cooperate": ("cooperate", "cooperation", "cooperative"), "co-operate": ("co-operate", "co-operation", "co-operative")},
    "aluminum": {"aluminum": ("aluminum",), "aluminium": ("aluminium",)},
}
# -or/-our words: US and UK forms differ only there.
_OUR = ("color", "behavior", "favor", "honor", "labor", "neighbor", "humor", "rumor", "vapor", "flavor", "armor", "harbor", "endeavor", "savior")
_OUR_SUFFIXES = ("", "s", "ed", "ing", "al", "ful", "ite", "ites", "able", "less")
# -l-/-ll- before -ed/-ing/-er.
_LL = ("model", "label", "travel", "cancel", "signal", "fuel", "channel", "level", "tunnel", "total", "counsel", "marshal")
_LL_SUFFIXES = ("ed", "ing", "er", "ers")
# -ize/-ise verbs (only these: many -ise words have no -ize form, e.g. "exercise", "advise").
_IZE = (
    "optim", "organ", "recogn", "minim", "maxim", "normal", "real", "util", "character", "summar", "emphas", "general",
    "initial", "special", "standard", "categor", "priorit", "central", "local", "author", "stabil", "synthes",
    "parameter", "parametr", "vector", "serial", "random", "regular", "discret", "custom", "final", "formal", "memor",
    "apolog", "critic", "hypothes", "modern", "neutral", "penal", "popular", "rational", "symbol", "theor", "token", "visual", "global", "personal", "legal", "capital", "digit", "quant",
)
_IZE_SUFFIXES = ("ize", "izes", "ized", "izing", "ization", "izations", "izer", "izers")


def _families() -> dict[str, dict[str, tuple[str, ...]]]:
    out = dict(_EXPLICIT)
    for w in _OUR:
        out[w] = {"-or": tuple(w + s for s in _OUR_SUFFIXES), "-our": tuple(w[:-2] + "our" + s for s in _OUR_SUFFIXES)}
    for w in _LL:
        out[w + "-l"] = {"-l-": tuple(w + s for s in _LL_SUFFIXES), "-ll-": tuple(w + "l" + s for s in _LL_SUFFIXES)}
    for stem in _IZE:
        out[stem + "ize"] = {"-ize": tuple(stem + s for s in _IZE_SUFFIXES), "-ise": tuple(stem + s.replace("z", "s") for s in _IZE_SUFFIXES)}
    return out


FAMILIES = _families()


@dataclass(frozen=True, slots=True)
class Form:
    family: str
    system: str
    slot: int


FORMS: dict[str, Form] = {}
for _family, _systems in FAMILIES.items():
    for _system, _forms in _systems.items():
        for _slot, _form in enumerate(_forms):
            FORMS.setdefault(_form, Form(_family, _system, _slot))

INDEX = PhraseIndex(FORMS)


def lookup(found: str) -> Form | None:
    return FORMS.get(" ".join(found.lower().split()))


def convert(form: Form, system: str) -> str | None:
    """The same slot in another system ("modelled", "-l-" -> "modeled"), if it exists."""
    forms = FAMILIES[form.family].get(system, ())
    return forms[form.slot] if form.slot < len(forms) else None
