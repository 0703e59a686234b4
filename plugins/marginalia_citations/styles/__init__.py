"""The CSL styles bundled with the citations plugin (licence: LICENSE.md here)."""
