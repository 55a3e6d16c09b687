"""Personal data handled as special-category data: the consent ledger (:mod:`.consent`),
a person's copy, erasure and withdrawal, and retention (:mod:`.gdpr`, :mod:`.jobs`)."""
