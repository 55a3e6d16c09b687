"""The programme's shared words, each defined once: language levels, interface locales and
audiences. Capabilities and the tenant config validator import them from here, so that two
parts of the platform cannot disagree on what "B1" ranks or which locales exist. A
capability's own states (a registration's, a duo's) stay in that capability."""
