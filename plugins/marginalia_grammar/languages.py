"""BCP-47 tags (what the core resolves per document) to LanguageTool language codes."""

from __future__ import annotations

# LanguageTool needs a variant for spelling and some rules; these are its usual defaults.
DEFAULT_VARIANT = {
    "en": "en-US", "de": "de-DE", "pt": "pt-PT", "ca": "ca-ES", "pl": "pl-PL", "ru": "ru-RU", "uk": "uk-UA",
    "nl": "nl", "fr": "fr", "es": "es", "it": "it", "sv": "sv", "da": "da-DK", "el": "el-GR", "ja": "ja-JP",
    "zh": "zh-CN", "sk": "sk-SK", "sl": "sl-SI", "ro": "ro-RO", "ta": "ta-IN", "tl": "tl-PH", "km": "km-KH",
    "be": "be-BY", "br": "br-FR", "gl": "gl-ES", "ast": "ast-ES", "fa": "fa", "ar": "ar", "eo": "eo", "ga": "ga-IE",
}


def lt_language(tag: str, available: list[dict[str, str]] | None = None) -> str:
    """``en-gb`` -> ``en-GB``, ``de`` -> ``de-DE``, ``fr-FR`` -> ``fr`` where only ``fr`` exists,
    anything unknown -> ``auto`` (LanguageTool detects the language)."""
    if not tag or tag.lower() == "auto":
        return "auto"
    parts = tag.replace("_", "-").split("-")
    base = parts[0].lower()
    norm = "-".join([base] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    if available:
        codes = {(d.get("longCode") or d.get("code") or "").lower(): d.get("longCode") or d.get("code") or "" for d in available}
        for cand in (norm, DEFAULT_VARIANT.get(base, base) if norm.lower() == base else "", base):
            if cand and cand.lower() in codes:
                return codes[cand.lower()]
        return "auto"
    if norm.lower() == base:
        return DEFAULT_VARIANT.get(base, "auto")
    return norm if base in DEFAULT_VARIANT else "auto"
