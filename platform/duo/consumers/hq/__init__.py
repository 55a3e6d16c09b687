"""Headquarters: consolidated figures across branches, never a participant's data."""
