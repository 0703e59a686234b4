"""marginalia citations plugin (work in progress)."""
