"""Bundled Hunspell dictionaries (data only; see README.md here for sources and licences)."""
