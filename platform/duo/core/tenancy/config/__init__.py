"""Load and validate the branch config files (``tenants/countries/*.toml``, ``tenants/*.toml``).

The files are the source of truth for every branch (DESIGN, "Tenancy"); the CLI
(``duo tenants check/apply``) and the database sync are built on the functions here, which
are pure: no Flask app, no database. Onboarding a branch needs nothing but its file.

How a file is judged (choices made here where the spec is silent):

- **Everything is reported at once.** :func:`load_tenants` reads every country and branch
  file and raises one :class:`ConfigError` listing every problem as
  ``<file>: <field>: <message>``, fields being dotted paths into the file
  (``eligibility.mentee.rules[2].min``, indexes 0-based as in the TOML array). Nothing is
  returned when anything is wrong, so a caller never writes half of a bad set.
- **Validated before and after merging.** Each file is first checked on its own (a country
  complete, a branch's sections as partial overrides). Only when both are clean is the
  branch merged with its country and the result checked again, complete; a problem found
  then is reported against the file that holds the offending value, at *that* file's
  path: the branch's own rule index for an override, the country file (naming the branch)
  when a country value does not suit the branch, e.g. a module title without a
  translation for one of the branch's locales.
- **Merging** (spec, "Tenant config files"): tables deep-merge, branch keys win; rules
  (by ``id``) and training modules / recurring workshops (by ``key``) merge by identity,
  field by field, new ones appended in order; other lists are replaced whole. An override
  that changes a rule's ``kind`` replaces the country's rule entirely, since the old
  kind's parameters mean nothing to the new one (a French branch turning ``migration``
  into an ``any_of``). Items with ``enabled = false`` are dropped from the result.
- **Defaults filled in**: ``timezone`` from the country, ``working_languages`` = the
  branch's locales, a training module is ``required`` unless it says otherwise, a
  recurring workshop is not. ``closed_days`` come out sorted, without repeats.
- **The digest** is the SHA-256 of the canonical JSON of :meth:`BranchConfig.as_dict`
  (sorted keys, no whitespace, UTF-8): equal content gives an equal digest, wherever the
  file lives and however it is laid out.

Where each part lives: :mod:`.loader` reads and checks the files, :mod:`.schema` (with
:mod:`.fields`, :mod:`.validators` and :mod:`.vocabulary`) says what a file may hold,
:mod:`.merge` lays a branch over its country, :mod:`.branch` is the result, and
:mod:`.problems` is what goes wrong.
"""

from duo.core.tenancy.config.branch import BranchConfig
from duo.core.tenancy.config.loader import load_branch, load_countries, load_tenants
from duo.core.tenancy.config.problems import ConfigError, ConfigProblem
from duo.core.tenancy.config.vocabulary import SUPPORTED_LOCALES

__all__ = [
    "SUPPORTED_LOCALES",
    "BranchConfig",
    "ConfigError",
    "ConfigProblem",
    "load_branch",
    "load_countries",
    "load_tenants",
]
