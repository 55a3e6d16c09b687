"""Staff accounts: coordinators hold a role per branch, HQ staff the HQ role.

Candidates never have accounts; they act through personal links.
"""
