"""Typed settings with defaults, layered sources and a generated JSON schema.

Sources, weakest first: built-in defaults < ``[tool.marginalia]`` in
``pyproject.toml`` or ``.marginalia.toml`` < editor settings < magic comments
(applied per document by :mod:`lsp_server.magic`).  Every field has a default;
a value of the wrong type falls back to the default with one message naming
the setting, so a typo never costs the user the whole configuration.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

T = TypeVar("T")

CONFIG_FILE = ".marginalia.toml"
STATE_DIR = ".marginalia"


def _doc(text: str, **extra: Any) -> dict[str, Any]:
    """Field metadata: the description shown in the schema, editors and docs."""
    return {"description": text, **extra}


# --------------------------------------------------------------------------- workspace trust

# Field metadata key, and the schema keyword it becomes, of a setting that an untrusted
# workspace may not set; its value says where the setting may come from (VS Code's scopes).
RESTRICTED = "restricted"
SCHEMA_RESTRICTED = "x-restricted"
# Schema marker of a section that is another name for a plugin's (see ``section_aliases``).
SCHEMA_ALIAS_OF = "x-alias-of"
# "machine": it names a program to run, so only the user's own settings choose it;
# "machine-overridable": it names a server, a model, credentials or files to load, which a
# trusted workspace may choose for its project.
RestrictedScope = Literal["machine", "machine-overridable"]


def restricted(scope: RestrictedScope = "machine-overridable", **extra: Any) -> dict[str, Any]:
    """Field metadata of a setting that an untrusted workspace's configuration may not set."""
    return {RESTRICTED: scope, **extra}


@dataclass
class LatexSettings:
    """How LaTeX markup reads as prose."""

    commands: dict[str, str] = field(
        default_factory=dict,
        metadata=_doc(
            'Your macros, with the backslash: "ignore" (drop it and its arguments), "placeholder" '
            '(read as a noun), "check" (check every text argument) or "check:N" (argument N only, 1-based).'
        ),
    )
    environments: dict[str, str] = field(
        default_factory=dict, metadata=_doc('Your environments: "ignore" (skip the body) or "check".')
    )


@dataclass
class DiagnosticsSettings:
    """When and how findings are shown."""

    debounce_ms: int = field(
        default=250, metadata=_doc("Milliseconds of quiet after an edit before checking.", minimum=0, maximum=10000)
    )
    max_file_kb: int = field(
        default=8192, metadata=_doc("Files larger than this are not checked (a message says so).", minimum=1)
    )
    severity: dict[str, str] = field(
        default_factory=dict,
        metadata=_doc('Per-rule (or per-plugin) severity override, e.g. {"style.passive-voice": "hint"}.'),
    )


# Licence texts are legal boilerplate the writer did not write: checking them only buries
# the manuscript's findings ("ii. a copyright notice" read as a sentence, and the like).
DEFAULT_LINT_EXCLUDE = ("LICENSE", "LICENSE.*", "LICENCE", "LICENCE.*", "COPYING", "COPYING.*")


@dataclass
class LintSettings:
    """What `marginalia lint` leaves out when it walks folders, expands globs or follows includes
    (the editor checks any file you open)."""

    exclude: list[str] = field(
        default_factory=lambda: list(DEFAULT_LINT_EXCLUDE),
        metadata=_doc(
            'Gitignore-style patterns, relative to the workspace root, of files and folders not to check, e.g. '
            '"drafts/", "*.generated.tex". Replaces the default (licence files); a file named on the command '
            "line is always checked."
        ),
    )
    extend_exclude: list[str] = field(default_factory=list, metadata=_doc("More patterns, added to exclude."))
    respect_gitignore: bool = field(
        default=True, metadata=_doc("In a git repository, also leave out what its .gitignore files ignore.")
    )


@dataclass
class CoreSettings:
    """Settings of the core; each plugin's own settings live under its name."""

    language: str = field(
        default="auto",
        metadata=_doc(
            'BCP-47 tag such as "en-GB", or "auto": what the document declares '
            "(babel, polyglossia, front matter lang:), else en-US."
        ),
    )
    disabled_rules: list[str] = field(
        default_factory=list, metadata=_doc('Rule ids or plugin names not to report, e.g. "style.passive-voice".')
    )
    enabled_rules: list[str] = field(default_factory=list, metadata=_doc("Opt-in rules to report."))
    disabled_plugins: list[str] = field(default_factory=list, metadata=_doc("Plugins not to run at all."))
    enabled_plugins: list[str] = field(
        default_factory=list, metadata=_doc('Plugins that are off by default to run, e.g. "completion", "rewrite".')
    )
    dictionary: list[str] = field(
        default_factory=list,
        metadata=_doc("Extra accepted words (besides .marginalia/dictionary.txt and the user dictionary)."),
    )
    latex: LatexSettings = field(default_factory=LatexSettings, metadata=_doc("How LaTeX markup reads as prose."))
    diagnostics: DiagnosticsSettings = field(
        default_factory=DiagnosticsSettings, metadata=_doc("When and how findings are shown.")
    )
    plugin_time_limit: float = field(
        default=10.0, metadata=_doc("Seconds a plugin call may take before it is skipped.", minimum=0.1)
    )
    lint: LintSettings = field(
        default_factory=LintSettings, metadata=_doc("What `marginalia lint` leaves out when it walks folders (the editor checks any file you open).")
    )


# --------------------------------------------------------------------------- conversion


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _convert(value: Any, tp: Any, path: str, messages: list[str]) -> tuple[bool, Any]:
    """Check ``value`` against ``tp``; return (ok, converted)."""
    origin = get_origin(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, Mapping):
            messages.append(f"{path}: expected a table/object, got {type(value).__name__}; using defaults")
            return False, None
        return True, from_mapping(tp, value, path, messages)
    if origin is Literal:
        options = get_args(tp)
        if value in options:
            return True, value
        messages.append(f"{path}: {value!r} is not one of {', '.join(map(repr, options))}; using the default")
        return False, None
    if origin in (typing.Union, types.UnionType):
        for arg in get_args(tp):
            if arg is type(None) and value is None:
                return True, None
            ok, conv = _convert(value, arg, path, [])
            if ok:
                return True, conv
        messages.append(f"{path}: {value!r} has the wrong type; using the default")
        return False, None
    if origin is list:
        (item_tp,) = get_args(tp) or (Any,)
        if isinstance(value, str):
            value = [value]  # a single rule id where a list is expected: be lenient
        if not isinstance(value, list):
            messages.append(f"{path}: expected a list, got {type(value).__name__}; using the default")
            return False, None
        out = []
        for i, item in enumerate(value):
            ok, conv = _convert(item, item_tp, f"{path}[{i}]", messages)
            if ok:
                out.append(conv)
        return True, out
    if origin is dict:
        _, val_tp = get_args(tp) or (str, Any)
        if not isinstance(value, Mapping):
            messages.append(f"{path}: expected a table/object, got {type(value).__name__}; using the default")
            return False, None
        out_d = {}
        for k, v in value.items():
            ok, conv = _convert(v, val_tp, f"{path}.{k}", messages)
            if ok:
                out_d[str(k)] = conv
        return True, out_d
    if tp is Any:
        return True, value
    if tp is bool and isinstance(value, bool):
        return True, value
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is int and is_number and isinstance(value, int):
        return True, value
    if tp is float and is_number:
        return True, float(value)
    if tp is str and isinstance(value, str):
        return True, value
    messages.append(f"{path}: expected {_type_name(tp)}, got {value!r}; using the default")
    return False, None


def from_mapping(cls: type[T], data: Mapping[str, Any], path: str = "marginalia", messages: list[str] | None = None) -> T:
    """Build ``cls`` from ``data``, field by field; bad fields keep their defaults."""
    msgs = messages if messages is not None else []
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    known = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in known:
            msgs.append(f"{path}.{key}: unknown setting, ignored")
            continue
        f = known[name]
        ok, conv = _convert(value, hints[name], f"{path}.{key}", msgs)
        if not ok:
            continue
        lo, hi = f.metadata.get("minimum"), f.metadata.get("maximum")
        if (
            isinstance(conv, (int, float))
            and not isinstance(conv, bool)
            and ((lo is not None and conv < lo) or (hi is not None and conv > hi))
        ):
            msgs.append(f"{path}.{key}: {conv} is out of range [{lo}, {hi}]; using the default")
            continue
        kwargs[name] = conv
    return cls(**kwargs)


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Stronger source ``over`` wins; tables merge key by key."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


# --------------------------------------------------------------------------- sources


def read_workspace_file(root: Path | None) -> tuple[dict[str, Any], list[str]]:
    """Settings from ``.marginalia.toml`` (whole file) or ``pyproject.toml`` ``[tool.marginalia]``."""
    if root is None:
        return {}, []
    msgs: list[str] = []
    own = root / CONFIG_FILE
    if own.is_file():
        try:
            return tomllib.loads(own.read_text(encoding="utf-8")), msgs
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            msgs.append(f"{own}: cannot be read ({exc}); its settings are ignored")
            return {}, msgs
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            msgs.append(f"{pyproject}: cannot be read ({exc}); its settings are ignored")
            return {}, msgs
        section = data.get("tool", {}).get("marginalia", {})
        if isinstance(section, dict):
            return section, msgs
        msgs.append(f"{pyproject}: [tool.marginalia] must be a table; ignored")
    return {}, msgs


@dataclass(frozen=True)
class Settings:
    """Resolved settings: the core's and each plugin's, plus what went wrong reading them."""

    core: CoreSettings
    plugins: Mapping[str, Any]
    messages: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict)

    def for_plugin(self, name: str) -> Any:
        return self.plugins.get(name)


def section_aliases(plugin_settings: Mapping[str, type]) -> dict[str, str]:
    """Other names of plugin sections, alias -> plugin name.

    A settings class lists them in ``section_aliases`` (the grammar plugin's section is also
    ``languagetool``, the name LTeX users and LanguageTool's docs write).
    """
    return {alias: name for name, cls in plugin_settings.items() for alias in getattr(cls, "section_aliases", ())}


def fold_aliases(data: Mapping[str, Any], plugin_settings: Mapping[str, type]) -> dict[str, Any]:
    """``data`` (one source) with alias tables merged into their plugin's table.

    Within one source the plugin's own name wins key by key; a non-table alias is
    left where it is, so :func:`resolve` names it.
    """
    aliases = section_aliases(plugin_settings)
    out = dict(data)
    for alias, name in aliases.items():
        value = out.get(alias)
        own = out.get(name, {})
        if isinstance(value, Mapping) and isinstance(own, Mapping):
            del out[alias]
            out[name] = deep_merge(value, own)
    return out


def resolve(layers: list[Mapping[str, Any]], plugin_settings: Mapping[str, type]) -> Settings:
    """Merge ``layers`` (weakest first) and convert them to typed settings."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if isinstance(layer, Mapping):
            merged = deep_merge(merged, fold_aliases(layer, plugin_settings))
    messages: list[str] = []
    core_fields = {f.name for f in dataclasses.fields(CoreSettings)}
    core_data = {k: v for k, v in merged.items() if k.replace("-", "_") in core_fields}
    plugin_data = {k: v for k, v in merged.items() if k.replace("-", "_") not in core_fields}
    core = from_mapping(CoreSettings, core_data, "marginalia", messages)
    plugins: dict[str, Any] = {}
    for name, cls in plugin_settings.items():
        data = plugin_data.pop(name, {})
        if not isinstance(data, Mapping):
            messages.append(f"marginalia.{name}: expected a table/object; using defaults")
            data = {}
        plugins[name] = from_mapping(cls, data, f"marginalia.{name}", messages)
    for leftover in plugin_data:
        messages.append(f"marginalia.{leftover}: unknown setting or plugin, ignored")
    return Settings(core, plugins, tuple(messages), merged)


def _strip(data: Mapping[str, Any], cls: type, path: str, dropped: list[str]) -> dict[str, Any]:
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for key, value in data.items():
        f = fields.get(key.replace("-", "_"))
        if f is not None and RESTRICTED in f.metadata:
            dropped.append(f"{path}.{key}")
            continue
        tp = hints[f.name] if f is not None else None
        if dataclasses.is_dataclass(tp) and isinstance(tp, type) and isinstance(value, Mapping):
            value = _strip(value, tp, f"{path}.{key}", dropped)
        out[key] = value
    return out


def strip_restricted(data: Mapping[str, Any], plugin_settings: Mapping[str, type]) -> tuple[dict[str, Any], list[str]]:
    """``data`` (one untrusted source) without the settings marked :func:`restricted`, and their dotted names.

    Unknown keys pass through, so :func:`resolve` still names them as typos.
    """
    dropped: list[str] = []
    data = fold_aliases(data, plugin_settings)  # so `[languagetool] url` is stripped like `[grammar] url`
    out = _strip({k: v for k, v in data.items() if k not in plugin_settings}, CoreSettings, "marginalia", dropped)
    for name, value in data.items():
        if name in plugin_settings:
            cls = plugin_settings[name]
            out[name] = _strip(value, cls, f"marginalia.{name}", dropped) if isinstance(value, Mapping) else value
    return out, dropped


# --------------------------------------------------------------------------- schema


def _schema_for(tp: Any, default: Any = dataclasses.MISSING) -> dict[str, Any]:
    origin = get_origin(tp)
    out: dict[str, Any]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return dataclass_schema(tp)
    if origin is Literal:
        out = {"enum": list(get_args(tp))}
    elif origin in (typing.Union, types.UnionType):
        out = {"anyOf": [_schema_for(a) for a in get_args(tp)]}
    elif origin is list:
        (item,) = get_args(tp) or (Any,)
        out = {"type": "array", "items": _schema_for(item)}
    elif origin is dict:
        _, val = get_args(tp) or (str, Any)
        out = {"type": "object", "additionalProperties": _schema_for(val)}
    elif tp is bool:
        out = {"type": "boolean"}
    elif tp is int:
        out = {"type": "integer"}
    elif tp is float:
        out = {"type": "number"}
    elif tp is str:
        out = {"type": "string"}
    elif tp is type(None):
        out = {"type": "null"}
    else:
        out = {}
    if default is not dataclasses.MISSING:
        out["default"] = default
    return out


def _doc_lines(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def dataclass_schema(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
            if dataclasses.is_dataclass(default):
                default = dataclasses.asdict(default)  # type: ignore[arg-type]
        else:
            default = dataclasses.MISSING
        prop = _schema_for(hints[f.name], default)
        for key in ("minimum", "maximum"):
            if key in f.metadata:
                prop[key] = f.metadata[key]
        if "description" in f.metadata:
            prop["description"] = f.metadata["description"]
        if RESTRICTED in f.metadata:
            prop[SCHEMA_RESTRICTED] = f.metadata[RESTRICTED]
        props[f.name] = prop
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
        schema["description"] = _doc_lines(cls)
    return schema


def settings_schema(plugin_settings: Mapping[str, type]) -> dict[str, Any]:
    """JSON schema of every setting: the core's and each plugin's under its name."""
    schema = dataclass_schema(CoreSettings)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Marginalia settings"
    for name, cls in sorted(plugin_settings.items()):
        schema["properties"][name] = dataclass_schema(cls)
    for alias, name in sorted(section_aliases(plugin_settings).items()):
        schema["properties"][alias] = {
            "$ref": f"#/properties/{name}",
            "description": f"Another name for `{name}`; where both are set, `{name}` wins.",
            SCHEMA_ALIAS_OF: name,
        }
    return schema


def schema_json(plugin_settings: Mapping[str, type]) -> str:
    return json.dumps(settings_schema(plugin_settings), indent=2, sort_keys=True) + "\n"
