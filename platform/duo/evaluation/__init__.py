"""Step 8: the evaluation at the end of a duo, and the mentee's outcome for a year after.

Both people answer a short survey through their link when the duo ends (questions from the
country's ``[evaluation]`` configuration, answers stored per question *version*); the
mentee is asked about their situation at the end and 3, 6 and 12 months later (up to the
branch's ``programme.follow_up_months``). Each ask is sent once, reminded once, and a
mentee who never answers is *lost to follow-up* (not a failure). Coordinators see the
answers on the duo page (a panel this capability adds to it) and may record an outcome
for the mentee, marked as recorded by them.

The tables are plain and documented for the reporting that reads them (HQ indicators).
"""
