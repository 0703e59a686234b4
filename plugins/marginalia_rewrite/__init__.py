"""marginalia rewrite plugin (work in progress)."""
