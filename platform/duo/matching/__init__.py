"""matching capability."""
