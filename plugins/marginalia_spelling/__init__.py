"""marginalia spelling plugin (work in progress)."""
