"""marginalia grammar_rules plugin (work in progress)."""
