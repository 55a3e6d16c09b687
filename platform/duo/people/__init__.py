"""The register of candidates: mentors and mentees of one branch and their place in the
programme (states, history, intake profile, vocabulary, search, import).

Every step writes to it (a sign-up creates a person, the intake fills the profile, training
and duos move the state), so it sits below all of them; its pages live in :mod:`duo.intake`.
"""
