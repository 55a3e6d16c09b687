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
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import holidays
from flask_babel import gettext
from marshmallow import ValidationError

from duo.core.tenancy.config_schema import (
    ELIGIBILITY_AUDIENCES,
    SUPPORTED_LOCALES,
    branch_schema,
    country_schema,
    merged_schema,
)

__all__ = [
    "SUPPORTED_LOCALES",
    "BranchConfig",
    "ConfigError",
    "ConfigProblem",
    "load_branch",
    "load_countries",
    "load_tenants",
]

#: The sections a country defines and a branch may override.
SECTIONS: tuple[str, ...] = (
    "programme",
    "eligibility",
    "training",
    "matching",
    "duos",
    "evaluation",
)

Segment = str | int
FieldPath = tuple[Segment, ...]


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in one file: where (``field``, a dotted path) and what (``message``)."""

    file: Path
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.file}: {self.field}: {self.message}"
        return f"{self.file}: {self.message}"


class ConfigError(Exception):
    """Every problem found in a set of config files; ``str()`` lists them one per line."""

    def __init__(self, problems: Iterable[ConfigProblem]) -> None:
        self.problems: list[ConfigProblem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def format_path(path: Iterable[Segment]) -> str:
    """``("eligibility", "mentee", "rules", 2, "min")`` -> ``eligibility.mentee.rules[2].min``."""
    text = ""
    for segment in path:
        if isinstance(segment, int):
            text += f"[{segment}]"
        else:
            text += f".{segment}" if text else str(segment)
    return text


def _flatten(errors: Any, path: FieldPath = ()) -> list[tuple[FieldPath, str]]:
    """Marshmallow's nested error messages as ``(path, message)`` pairs."""
    if isinstance(errors, Mapping):
        found: list[tuple[FieldPath, str]] = []
        for key, value in errors.items():
            found += _flatten(value, path if key == "_schema" else (*path, key))
        return found
    if isinstance(errors, list | tuple):
        return [pair for item in errors for pair in _flatten(item, path)]
    return [(path, str(errors))]


# --------------------------------------------------------------------------- reading


def _read_toml(path: Path, problems: list[ConfigProblem]) -> dict[str, Any] | None:
    """The file's TOML as a dict, or None after recording why it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = gettext("cannot read the file: %(error)s", error=exc.strerror or str(exc))
        problems.append(ConfigProblem(path, "", message))
        return None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        problems.append(ConfigProblem(path, "", gettext("not UTF-8 text")))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        where = ""
        match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", reason)
        if match:
            reason = reason[: match.start()]
            where = gettext("line %(line)s", line=int(match.group(1)))
        elif "(at end of document)" in reason:
            reason = reason.replace("(at end of document)", "").strip()
            where = gettext("end of file")
        problems.append(
            ConfigProblem(path, where, gettext("not valid TOML: %(error)s", error=reason))
        )
        return None


def _load(schema: Any, data: dict, path: Path, problems: list[ConfigProblem]) -> dict | None:
    try:
        return schema.load(data)
    except ValidationError as exc:
        for where, message in _flatten(exc.messages):
            problems.append(ConfigProblem(path, format_path(where), message))
        return None


@functools.cache
def _holiday_subdivisions(code: str) -> tuple[str, ...] | None:
    """The subdivisions the ``holidays`` package knows for a country code, None if unknown."""
    try:
        return tuple(holidays.country_holidays(code).subdivisions)
    except (NotImplementedError, KeyError, AttributeError, ValueError):
        return None


# --------------------------------------------------------------------------- countries


def _countries_folder(root: Path) -> Path:
    return root / "countries" if (root / "countries").is_dir() else root


def _collect_countries(
    root: Path, problems: list[ConfigProblem]
) -> tuple[dict[str, dict], set[str], dict[str, Path]]:
    """Valid countries by code, the codes whose file is broken (reported in ``problems``),
    and every country file by code."""
    folder = _countries_folder(root)
    countries: dict[str, dict] = {}
    broken: set[str] = set()
    paths = sorted(folder.glob("*.toml"))
    files = {path.stem: path for path in paths}
    if not paths:
        problems.append(ConfigProblem(folder, "", gettext("no country files (<cc>.toml) here")))
    for path in paths:
        count = len(problems)
        raw = _read_toml(path, problems)
        data = _load(country_schema(), raw, path, problems) if raw is not None else None
        if data is not None:
            if data["code"] != path.stem:
                message = gettext(
                    "the code %(code)s does not match the file name (expected %(expected)s)",
                    code=data["code"],
                    expected=path.stem,
                )
                problems.append(ConfigProblem(path, "code", message))
            if _holiday_subdivisions(data["holidays"]["country"]) is None:
                message = gettext(
                    "unknown holidays country %(value)s (the holidays package code, like BE)",
                    value=data["holidays"]["country"],
                )
                problems.append(ConfigProblem(path, "holidays.country", message))
        if len(problems) > count:
            broken.add(path.stem)
        else:
            # The file's own data (validated), so that merged results keep the file's order.
            countries[path.stem] = raw  # type: ignore[assignment]
    return countries, broken, files


def load_countries(root: Path) -> dict[str, dict]:
    """Every country file, validated, by code. ``root`` is ``tenants/`` (or its ``countries/``).

    Raises :class:`ConfigError` listing every problem of every country file.
    """
    problems: list[ConfigProblem] = []
    countries, _, _ = _collect_countries(Path(root), problems)
    if problems:
        raise ConfigError(problems)
    return countries


# --------------------------------------------------------------------------- merging


def _identity(path: FieldPath) -> str | None:
    """The identity key of the list at ``path``, if its items merge by identity."""
    if len(path) == 3 and path[0] == "eligibility" and path[2] == "rules":
        return "id"
    if path in (("training", "modules"), ("training", "recurring")):
        return "key"
    return None


def _merge(base: Any, override: Any, path: FieldPath = ()) -> Any:
    """``override`` merged onto ``base`` by the spec's rules; neither argument is changed."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)
        for key, value in override.items():
            if key in base:
                merged[key] = _merge(base[key], value, (*path, key))
            else:
                merged[key] = copy.deepcopy(value)
        return merged
    ident = _identity(path)
    if ident and isinstance(base, list) and isinstance(override, list):
        merged_items = [copy.deepcopy(item) for item in base]
        position = {item.get(ident): index for index, item in enumerate(merged_items)}
        for item in override:
            index = position.get(item.get(ident))
            if index is None:
                position[item.get(ident)] = len(merged_items)
                merged_items.append(copy.deepcopy(item))
            elif "kind" in item and item["kind"] != merged_items[index].get("kind"):
                merged_items[index] = copy.deepcopy(item)
            else:
                merged_items[index] = _merge(merged_items[index], item, (*path, index))
        return merged_items
    return copy.deepcopy(override)


def _step(node: Any, segment: Segment) -> tuple[bool, Any]:
    if isinstance(segment, int):
        if isinstance(node, list) and 0 <= segment < len(node):
            return True, node[segment]
        return False, None
    if isinstance(node, dict) and segment in node:
        return True, node[segment]
    return False, None


def _index_of(items: Any, ident: str, value: Any) -> int | None:
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict) and item.get(ident) == value:
                return index
    return None


def _locate(path: FieldPath, merged: dict, sources: dict[str, dict]) -> tuple[str, FieldPath]:
    """Which source (``"branch"`` or ``"country"``) holds the value at a merged ``path``.

    Returns the source and the path *in that source's file* (a merged rule index becomes
    the index of the same ``id`` in the file). A missing value is put on the source that
    holds most of the path (the branch on a tie: it overrode last).
    """
    nodes = dict(sources)
    paths: dict[str, list[Segment]] = {name: [] for name in sources}
    alive = {name: True for name in sources}
    node: Any = merged
    for position, segment in enumerate(path):
        ident = _identity(path[:position]) if isinstance(segment, int) else None
        item_key = None
        if ident and isinstance(node, list) and 0 <= segment < len(node):
            item_key = node[segment].get(ident) if isinstance(node[segment], dict) else None
        for name in sources:
            if not alive[name]:
                continue
            local: Segment | None = segment
            if item_key is not None:
                local = _index_of(nodes[name], ident or "", item_key)
            found, child = _step(nodes[name], local) if local is not None else (False, None)
            if found:
                nodes[name] = child
                paths[name].append(local)  # type: ignore[arg-type]
            else:
                alive[name] = False
        node = _step(node, segment)[1]

    for name in sources:
        if alive[name]:
            return name, tuple(paths[name])
    name = max(sources, key=lambda candidate: len(paths[candidate]))
    if len(paths["branch"]) == len(paths[name]):
        name = "branch"
    return name, (*paths[name], *path[len(paths[name]) :])


def _merged_view(branch: dict, country: dict) -> dict[str, Any]:
    """The branch as it counts: its own fields, country defaults, merged sections."""
    merged: dict[str, Any] = {
        "slug": branch["slug"],
        "country": branch["country"],
        "name": dict(branch["name"]),
        "locales": list(branch["locales"]),
        "timezone": branch.get("timezone", country["timezone"]),
        "contact_email": branch["contact_email"],
        "holidays": {
            "country": country["holidays"]["country"],
            "subdivision": branch.get("holidays", {}).get("subdivision"),
        },
        "closed_days": list(branch.get("closed_days", [])),
        "working_languages": list(branch.get("working_languages", branch["locales"])),
    }
    for section in SECTIONS:
        merged[section] = _merge(country[section], branch.get(section, {}), (section,))
    return merged


def _merged_checks(merged: dict) -> list[tuple[FieldPath, str]]:
    """What only the merged branch can tell: holidays subdivision, translations per locale."""
    found: list[tuple[FieldPath, str]] = []
    subdivision = merged["holidays"].get("subdivision")
    if subdivision is not None:
        known = _holiday_subdivisions(merged["holidays"]["country"]) or ()
        if subdivision not in known:
            message = gettext(
                "unknown holidays subdivision %(value)s for %(country)s; choose from: %(choices)s",
                value=subdivision,
                country=merged["holidays"]["country"],
                choices=", ".join(known) or "-",
            )
            found.append((("holidays", "subdivision"), message))
    for kind in ("modules", "recurring"):
        for index, item in enumerate(merged["training"].get(kind, [])):
            if not isinstance(item, dict) or item.get("enabled", True) is False:
                continue
            for name in ("title", "description"):
                texts = item.get(name)
                if not isinstance(texts, dict):
                    continue
                for locale in merged["locales"]:
                    if locale not in texts:
                        message = gettext(
                            "missing the translation for the branch locale %(locale)s",
                            locale=locale,
                        )
                        found.append((("training", kind, index, name), message))
    found.extend(_translation_checks(merged))
    return found


def _translation_checks(merged: dict) -> list[tuple[FieldPath, str]]:
    """Texts people read in their language (agreement, charter, topics, questions)."""
    places: list[tuple[FieldPath, Any]] = []
    duos = merged.get("duos", {})
    for doc in ("agreement", "charter"):
        for name in ("title", "text"):
            places.append((("duos", doc, name), duos.get(doc, {}).get(name)))
    for kind in ("topics", "stop_reasons"):
        for index, item in enumerate(duos.get(kind, [])):
            places.append((("duos", kind, index, "title"), item.get("title")))
    for index, item in enumerate(merged.get("evaluation", {}).get("questions", [])):
        places.append((("evaluation", "questions", index, "text"), item.get("text")))
    found: list[tuple[FieldPath, str]] = []
    for path, texts in places:
        if not isinstance(texts, dict):
            continue
        for locale in merged["locales"]:
            if locale not in texts:
                message = gettext(
                    "missing the translation for the branch locale %(locale)s", locale=locale
                )
                found.append((path, message))
    return found


# --------------------------------------------------------------------------- the result


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON-able: {value!r}")


@dataclass(frozen=True)
class BranchConfig:
    """A branch's configuration after merging with its country; what the platform runs on.

    ``eligibility`` maps ``mentee`` / ``mentor`` to their enabled rules, in order;
    ``training`` holds ``modules`` (initial mentor training) and ``recurring`` (workshops
    during the accompaniment), enabled only, each with an explicit ``required``.
    """

    slug: str
    country: str
    name: dict[str, str]
    locales: tuple[str, ...]
    timezone: str
    contact_email: str
    holidays_country: str
    holidays_subdivision: str | None
    closed_days: tuple[dt.date, ...]
    working_languages: tuple[str, ...]
    programme: dict[str, Any]
    eligibility: dict[str, list[dict[str, Any]]]
    training: dict[str, list[dict[str, Any]]]
    matching: dict[str, Any]
    #: Steps 5-7 (links, first meeting, agreement and charter texts, check-in topics...).
    duos: dict[str, Any] = field(default_factory=dict)
    #: Step 8 (survey questions, outcome follow-up).
    evaluation: dict[str, Any] = field(default_factory=dict)
    source: Path = field(default=Path(), compare=False)
    digest: str = ""

    def __post_init__(self) -> None:
        if not self.digest:
            canonical = json.dumps(
                self.as_dict(),
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
                default=_json_default,
            )
            object.__setattr__(self, "digest", hashlib.sha256(canonical.encode()).hexdigest())

    def __hash__(self) -> int:
        return hash((self.slug, self.digest))

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def display_name(self, locale: str | None = None) -> str:
        """The branch's name in ``locale``, else in its default locale."""
        if locale and locale in self.name:
            return self.name[locale]
        return self.name.get(self.default_locale) or next(iter(self.name.values()))

    def as_dict(self) -> dict[str, Any]:
        """The merged config as JSON-able data (dates as ISO strings); what the digest covers."""
        return {
            "slug": self.slug,
            "country": self.country,
            "name": copy.deepcopy(self.name),
            "locales": list(self.locales),
            "timezone": self.timezone,
            "contact_email": self.contact_email,
            "holidays": {
                "country": self.holidays_country,
                "subdivision": self.holidays_subdivision,
            },
            "closed_days": [day.isoformat() for day in self.closed_days],
            "working_languages": list(self.working_languages),
            "programme": copy.deepcopy(self.programme),
            "eligibility": copy.deepcopy(self.eligibility),
            "training": copy.deepcopy(self.training),
            "matching": copy.deepcopy(self.matching),
            "duos": copy.deepcopy(self.duos),
            "evaluation": copy.deepcopy(self.evaluation),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: Path | None = None) -> BranchConfig:
        """Rebuild from :meth:`as_dict` output (e.g. the copy stored in the database)."""
        return cls(
            slug=data["slug"],
            country=data["country"],
            name=dict(data["name"]),
            locales=tuple(data["locales"]),
            timezone=data["timezone"],
            contact_email=data["contact_email"],
            holidays_country=data["holidays"]["country"],
            holidays_subdivision=data["holidays"].get("subdivision"),
            closed_days=tuple(dt.date.fromisoformat(day) for day in data["closed_days"]),
            working_languages=tuple(data["working_languages"]),
            programme=copy.deepcopy(dict(data["programme"])),
            eligibility=copy.deepcopy(dict(data["eligibility"])),
            training=copy.deepcopy(dict(data["training"])),
            matching=copy.deepcopy(dict(data["matching"])),
            duos=copy.deepcopy(dict(data.get("duos", {}))),
            evaluation=copy.deepcopy(dict(data.get("evaluation", {}))),
            source=source or Path(),
        )


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _enabled(items: Iterable[dict], **defaults: Any) -> list[dict]:
    return [
        {**defaults, **{key: value for key, value in item.items() if key != "enabled"}}
        for item in items
        if item.get("enabled", True) is not False
    ]


def _build(merged: dict, source: Path) -> BranchConfig:
    training = merged["training"]
    return BranchConfig(
        slug=merged["slug"],
        country=merged["country"],
        name=merged["name"],
        locales=tuple(merged["locales"]),
        timezone=merged["timezone"],
        contact_email=merged["contact_email"],
        holidays_country=merged["holidays"]["country"],
        holidays_subdivision=merged["holidays"].get("subdivision"),
        closed_days=tuple(sorted({_as_date(day) for day in merged["closed_days"]})),
        working_languages=tuple(merged["working_languages"]),
        programme=merged["programme"],
        eligibility={
            audience: _enabled(merged["eligibility"][audience]["rules"])
            for audience in ELIGIBILITY_AUDIENCES
        },
        training={
            "modules": _enabled(training.get("modules", []), required=True),
            "recurring": _enabled(training.get("recurring", []), required=False),
        },
        matching=merged["matching"],
        duos=merged["duos"],
        evaluation=merged["evaluation"],
        source=source,
    )


# --------------------------------------------------------------------------- branches


def _load_branch(
    path: Path,
    countries: Mapping[str, dict],
    problems: list[ConfigProblem],
    broken_countries: Iterable[str] = (),
    country_files: Mapping[str, Path] | None = None,
) -> BranchConfig | None:
    """One branch file, or None after adding its problems to ``problems``."""
    count = len(problems)
    raw = _read_toml(path, problems)
    branch = _load(branch_schema(), raw, path, problems) if raw is not None else None
    if branch is None:
        return None
    if branch["slug"] != path.stem:
        message = gettext(
            "the slug %(slug)s does not match the file name (expected %(expected)s)",
            slug=branch["slug"],
            expected=path.stem,
        )
        problems.append(ConfigProblem(path, "slug", message))
    country = countries.get(branch["country"])
    if country is None and branch["country"] not in set(broken_countries):
        message = gettext(
            "unknown country %(value)s; known: %(choices)s",
            value=branch["country"],
            choices=", ".join(sorted(countries)) or "-",
        )
        problems.append(ConfigProblem(path, "country", message))
    if country is None or len(problems) > count:
        return None

    branch = raw  # validated: merge the file's own data, in the file's order
    merged = _merged_view(branch, country)
    found: list[tuple[FieldPath, str]] = []
    try:
        merged_schema().load(merged)
    except ValidationError as exc:
        found += _flatten(exc.messages)
    found += _merged_checks(merged)
    if found:
        country_file = (country_files or {}).get(branch["country"]) or (
            path.parent / "countries" / f"{branch['country']}.toml"
        )
        sources = {"branch": branch, "country": country}
        for where, message in found:
            origin, local = _locate(where, merged, sources)
            if origin == "branch":
                problems.append(ConfigProblem(path, format_path(local), message))
            else:
                message = gettext(
                    "%(message)s (for branch %(branch)s)", message=message, branch=branch["slug"]
                )
                problems.append(ConfigProblem(country_file, format_path(local), message))
        return None
    return _build(merged, path)


def load_branch(path: Path, countries: Mapping[str, dict]) -> BranchConfig:
    """One branch file merged with its country (from :func:`load_countries`).

    Raises :class:`ConfigError` listing every problem found.
    """
    problems: list[ConfigProblem] = []
    config = _load_branch(Path(path), countries, problems)
    if problems or config is None:
        raise ConfigError(problems)
    return config


def load_tenants(root: Path, only: list[Path] | None = None) -> dict[str, BranchConfig]:
    """Every branch under ``root`` (the ``tenants/`` folder), by slug, in file-name order.

    ``only`` restricts the branch files read (e.g. the one being onboarded); the countries
    are always read. Problems of all files are collected and raised as one
    :class:`ConfigError`, so nothing is returned from a set with anything wrong in it.
    """
    root = Path(root)
    problems: list[ConfigProblem] = []
    countries, broken, country_files = _collect_countries(root, problems)
    paths = sorted(root.glob("*.toml")) if only is None else [Path(item) for item in only]
    configs: dict[str, BranchConfig] = {}
    for path in paths:
        config = _load_branch(path, countries, problems, broken, country_files)
        if config is None:
            continue
        if config.slug in configs:
            message = gettext(
                "the slug %(slug)s is already used by %(other)s",
                slug=config.slug,
                other=str(configs[config.slug].source),
            )
            problems.append(ConfigProblem(path, "slug", message))
            continue
        configs[config.slug] = config
    if problems:
        raise ConfigError(problems)
    return configs
