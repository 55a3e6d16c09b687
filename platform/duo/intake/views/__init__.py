"""Candidates pages of a branch: the pipeline, a person's page, intake, decisions, import.

Views are thin: they read the form, call the domain functions (``intake``, ``decisions``,
``importing``, ``listing``) and render. Bad input answers 400 with the messages at the
fields and nothing written (the request's transaction is rolled back for any status >= 400).

One blueprint (``people``), its routes in a module per seam: :mod:`.candidates` (the
pipeline and a person's pages), :mod:`.imports` (the spreadsheet import) and
:mod:`.privacy` (a person's consent, copy and erasure, and their own privacy page through
a personal link, on its blueprint ``my_privacy``);
:mod:`.blueprint` holds the blueprint and what the pages share.
"""

from duo.intake.views import candidates, imports, privacy
from duo.intake.views.blueprint import bp
from duo.intake.views.privacy import link_bp

#: The modules whose routes make up ``bp`` (importing one adds its routes).
ROUTE_MODULES = (candidates, imports, privacy)

__all__ = ["ROUTE_MODULES", "bp", "link_bp"]
