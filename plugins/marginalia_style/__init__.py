"""marginalia style plugin (work in progress)."""
