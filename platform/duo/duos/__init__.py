"""duos capability: a mentor and a mentee from the proposal to the evaluation.

Step 5 to 8 of the method. A duo is created *proposed* when a coordinator accepts a pair at
a matching session (:mod:`duo.matching`), and moves through its own states (see
:mod:`duo.duos.states`) only by :func:`duo.duos.lifecycle.transition`.
"""
