"""The interface languages the platform is translated into.

A branch's locales (its config file) are a subset of these, its first one the default; the
catalogues under ``translations/`` exist for exactly these.
"""

from __future__ import annotations

#: The interface languages, in no order of preference.
LOCALES: tuple[str, ...] = ("en", "fr", "nl")
