"""marginalia grammar plugin (work in progress)."""
