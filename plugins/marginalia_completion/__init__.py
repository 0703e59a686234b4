"""marginalia completion plugin (work in progress)."""
