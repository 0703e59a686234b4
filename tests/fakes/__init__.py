"""Test doubles that speak real protocols (LanguageTool's HTTP API)."""
