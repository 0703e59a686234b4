"""The ``grammar`` plugin: LanguageTool matches as findings, per chunk."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.plugin import Action, CheckContext, CommandHandler, Finding, Plugin, Severity
from marginalia_grammar import false_positives
from marginalia_grammar.annotate import OffsetMap, annotate
from marginalia_grammar.backend import Backends, describe_off
from marginalia_grammar.dedup import is_duplicate, offline_findings
from marginalia_grammar.errors import LanguageToolStarting, LanguageToolUnavailable
from marginalia_grammar.languages import lt_language
from marginalia_grammar.local_server import add_ready_listener, stop_all
from marginalia_grammar.settings import LanguageToolSettings

log = logging.getLogger(__name__)
PLUGIN_NAME = "grammar"
HIDE_COMMAND = "marginalia.grammar.hideFalsePositive"
DISABLE_COMMAND = "marginalia.disableRule"
MAX_REPLACEMENTS = 5
_SEVERITY = {"misspelling": Severity.ERROR, "grammar": Severity.WARNING, "typographical": Severity.INFO,
             "whitespace": Severity.HINT, "style": Severity.INFO, "locale-violation": Severity.INFO}
_SPELLING_RULES = ("MORFOLOGIK_RULE", "HUNSPELL_RULE", "SPELLER_RULE")


def _settings(ctx: CheckContext) -> LanguageToolSettings:
    return ctx.settings if isinstance(ctx.settings, LanguageToolSettings) else LanguageToolSettings()


def request_params(s: LanguageToolSettings, language: str) -> dict[str, str]:
    params = {"language": language}
    if s.mother_tongue:
        params["motherTongue"] = s.mother_tongue
    for key, values in (("enabledRules", s.enabled_rules), ("disabledRules", s.disabled_rules),
                        ("enabledCategories", s.enabled_categories), ("disabledCategories", s.disabled_categories)):
        if values:
            params[key] = ",".join(values)
    if s.picky:
        params["level"] = "picky"
    return params


def _explanation(rule: Mapping[str, Any]) -> str:
    category = rule.get("category") or {}
    lines = [f"**{rule.get('description') or rule.get('id', '')}**",
             f"LanguageTool rule `{rule.get('id', '')}`, category {category.get('name', '')} (`{category.get('id', '')}`)."]
    lines += [f"<{u['value']}>" for u in rule.get("urls") or [] if isinstance(u, dict) and u.get("value")]
    return "\n\n".join(lines)


class LanguageToolPlugin(Plugin):
    name: ClassVar[str] = PLUGIN_NAME
    Settings: ClassVar[type] = LanguageToolSettings
    time_limit: ClassVar[float] = 30.0

    def __init__(self) -> None:
        self._backends = Backends()
        self._last_settings = LanguageToolSettings()
        self._gave_up_waiting = False

    # -- checking ------------------------------------------------------------
    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        s = _settings(ctx)
        self._last_settings = s
        backend = self._backends.get(s)  # raises with the reason on bad settings
        if backend is None:
            return ()
        # The first check may wait for a local start (within the host's limit); later ones do not queue behind it.
        budget = 0.0 if self._gave_up_waiting else 0.8 * float(getattr(ctx.core, "plugin_time_limit", 10.0))
        try:
            client = backend.client(budget)
        except LanguageToolStarting:
            self._gave_up_waiting = True
            raise
        annotation, omap = annotate(chunk)
        language = lt_language(ctx.language, client.languages())
        matches = client.check(annotation, request_params(s, language))
        offline = offline_findings(chunk, ctx)
        out: list[Finding] = []
        for m in matches:
            finding = self._finding(chunk, m, omap, s, ctx)
            if finding is None:
                continue
            lt_id = str((m.get("rule") or {}).get("id", ""))
            if is_duplicate(lt_id, finding.start, finding.end, finding.replacements, offline):
                continue
            out.append(finding)
        return out

    def _finding(self, chunk: Chunk, m: Mapping[str, Any], omap: OffsetMap, s: LanguageToolSettings, ctx: CheckContext) -> Finding | None:
        try:
            offset, length = int(m["offset"]), int(m["length"])
        except (KeyError, TypeError, ValueError):
            return None
        if offset < 0 or length < 0 or offset + length > omap.length:
            return None  # not a span of what was sent
        rule = m.get("rule") or {}
        rule_id = str(rule.get("id", "UNKNOWN"))
        issue = str(rule.get("issueType", ""))
        category = rule.get("category") or {}
        # The spell checker proper (not a/an, which LanguageTool also files under "misspelling").
        is_speller = rule_id.startswith(_SPELLING_RULES) or (issue == "misspelling" and category.get("id") == "TYPOS")
        if is_speller and not s.spelling:
            return None
        ps, pe = omap.span_to_prose(offset, length)
        if not 0 <= ps <= pe <= len(chunk.text):
            return None
        if any(p.prose_start < pe and p.prose_end > ps for p in chunk.placeholders()):
            return None  # LanguageTool judged the reading of markup ("$x$ $x$", a citation): not the writer's prose
        if is_speller and chunk.text[ps:pe] in ctx.dictionary:
            return None
        sentence = str(m.get("sentence", ""))
        rid = f"{PLUGIN_NAME}.{rule_id}"
        if sentence and false_positives.is_hidden(ctx.workspace_root, rid, sentence):
            return None
        start, end = chunk.to_source(ps, pe)
        replacements = tuple(str(r["value"]) for r in (m.get("replacements") or [])[:MAX_REPLACEMENTS] if isinstance(r, dict) and "value" in r)
        message = str(m.get("message") or m.get("shortMessage") or rule.get("description") or rule_id)
        return Finding(
            start, end, rid, message, _SEVERITY.get(issue, Severity.WARNING), replacements, PLUGIN_NAME,
            explanation=_explanation(rule),
            data={"ltRule": rule_id, "category": category.get("id", ""), "categoryName": category.get("name", ""),
                  "issueType": issue, "sentence": sentence, "shortMessage": m.get("shortMessage", "")},
        )

    def cache_token(self, ctx: CheckContext) -> str:
        """Part of the chunk-cache fingerprint: hiding a false positive must re-check."""
        core = ctx.core
        return "|".join((false_positives.token(ctx.workspace_root), repr(getattr(core, "disabled_plugins", ())),
                         repr(getattr(core, "disabled_rules", ()))))

    # -- actions and commands ------------------------------------------------
    def actions(self, doc: ProseDocument, finding: Finding, ctx: CheckContext) -> Iterable[Action]:
        # Arguments are one object with the document's URI, so the server finds the right workspace.
        yield Action(f"Disable rule {finding.rule}", command=DISABLE_COMMAND, arguments=({"uri": doc.uri, "rule": finding.rule},))
        sentence = (finding.data or {}).get("sentence")
        if sentence:
            yield Action("Hide this false positive", command=HIDE_COMMAND,
                         arguments=({"uri": doc.uri, "rule": finding.rule, "sentence": sentence},))

    def commands(self) -> Mapping[str, CommandHandler]:
        return {HIDE_COMMAND: self.hide_false_positive}

    @staticmethod
    def hide_false_positive(ctx: CheckContext, *args: Any) -> dict[str, str]:
        """Server-side command: remember (rule, sentence) in the workspace's false-positives file.

        Takes ``{"uri", "rule", "sentence"}`` (what :meth:`actions` offers) or ``rule, sentence``.
        """
        if len(args) == 1 and isinstance(args[0], Mapping):
            rule, sentence = args[0].get("rule"), args[0].get("sentence")
        elif len(args) == 2:
            rule, sentence = args
        else:
            raise ValueError("hideFalsePositive takes {rule, sentence} (a rule id and a sentence)")
        if not isinstance(rule, str) or not isinstance(sentence, str) or not rule or not sentence.strip():
            raise ValueError("hideFalsePositive takes a rule id and a sentence")
        root: Path | None = ctx.workspace_root
        if root is None:
            raise ValueError("hiding a false positive needs a workspace folder to hold .marginalia/false-positives.json")
        return {"path": str(false_positives.hide(root, rule, sentence))}

    # -- status --------------------------------------------------------------
    def status(self) -> tuple[bool, str]:
        s = self._last_settings
        try:
            backend = self._backends.get(s)
        except LanguageToolUnavailable as exc:
            return False, str(exc)
        if backend is None:
            return s.mode == "off", describe_off(s)
        return backend.status()

    @staticmethod
    def on_ready(callback: Callable[[], object]) -> None:
        """Call ``callback`` when a local LanguageTool has started: checks made while it was
        starting reported "still starting", and the server should re-check open documents."""
        add_ready_listener(callback)

    def worker_settings(self, ctx: CheckContext) -> Mapping[str, Any]:
        """Lint's workers talk to the one local server started here, as to a remote one."""
        s = _settings(ctx)
        backend = self._backends.get(s)
        if backend is None or backend.local is None:
            return {}
        try:
            url = backend.local.wait(s.startup_timeout)
        except (LanguageToolStarting, LanguageToolUnavailable):
            return {}  # each worker then reports why, as a single process would
        return {"mode": "remote", "url": url}

    def shutdown(self) -> None:
        stop_all()
