"""eligibility capability."""
