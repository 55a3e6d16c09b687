"""The intake step (step 2 of the method): a coordinator's desk for candidates.

The pipeline of a branch's candidates, a person's page, the intake interview (the profile
used for matching, the consent for sensitive facts), the eligibility decision under the
country's rules (:mod:`duo.eligibility`) with its re-evaluation and override, withdrawal,
and the import of candidates from a spreadsheet. The candidates themselves (their record,
states and history) are the register in :mod:`duo.people`, which every step writes to.
"""
