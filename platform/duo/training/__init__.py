"""training capability."""
