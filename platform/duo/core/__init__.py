"""The core: what every capability stands on (database, settings, tenancy, auth, i18n,
jobs, mail, calendar files, and the dashboard frame). It imports no capability;
capabilities plug into it through what they declare (see :mod:`duo.core.plugins`).
"""
