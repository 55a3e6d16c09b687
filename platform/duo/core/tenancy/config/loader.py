"""Read the country and branch files, validate them, and merge each branch with its country.

How a file is judged is told in the package docstring (:mod:`duo.core.tenancy.config`).
Pure functions: no Flask app, no database.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from flask_babel import gettext
from marshmallow import ValidationError

from duo.core.tenancy.config import privacy as privacy_config
from duo.core.tenancy.config.branch import BranchConfig, build_config
from duo.core.tenancy.config.merge import locate, merged_view
from duo.core.tenancy.config.problems import (
    ConfigError,
    ConfigProblem,
    FieldPath,
    flatten,
    format_path,
)
from duo.core.tenancy.config.schema import branch_schema, country_schema, merged_schema
from duo.core.tenancy.config.steps import translation_places

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
        for where, message in flatten(exc.messages):
            problems.append(ConfigProblem(path, format_path(where), message))
        return None


def _check_named_after_file(
    path: Path, field: str, value: str, problems: list[ConfigProblem]
) -> None:
    """A country or branch is found by its file name, so the key inside must agree with it."""
    if value != path.stem:
        message = gettext(
            "the %(field)s %(value)s does not match the file name (expected %(expected)s)",
            field=field,
            value=value,
            expected=path.stem,
        )
        problems.append(ConfigProblem(path, field, message))


@functools.cache
def _holiday_subdivisions(code: str) -> tuple[str, ...] | None:
    """The subdivisions the ``holidays`` package knows for a country code, None if unknown."""
    import holidays  # large: loaded when a branch file is checked, not at start

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
            _check_named_after_file(path, "code", data["code"], problems)
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
            countries[path.stem] = raw
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
    for path, texts in [*translation_places(merged), *privacy_config.translation_places(merged)]:
        if not isinstance(texts, dict):
            continue
        for locale in merged["locales"]:
            if locale not in texts:
                message = gettext(
                    "missing the translation for the branch locale %(locale)s", locale=locale
                )
                found.append((path, message))
    return found


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
    _check_named_after_file(path, "slug", branch["slug"], problems)
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
    merged = merged_view(branch, country)
    found: list[tuple[FieldPath, str]] = []
    try:
        merged_schema().load(merged)
    except ValidationError as exc:
        found += flatten(exc.messages)
    found += _merged_checks(merged)
    if found:
        country_file = (country_files or {}).get(branch["country"]) or (
            path.parent / "countries" / f"{branch['country']}.toml"
        )
        sources = {"branch": branch, "country": country}
        for where, message in found:
            origin, local = locate(where, merged, sources)
            if origin == "branch":
                problems.append(ConfigProblem(path, format_path(local), message))
            else:
                message = gettext(
                    "%(message)s (for branch %(branch)s)", message=message, branch=branch["slug"]
                )
                problems.append(ConfigProblem(country_file, format_path(local), message))
        return None
    return build_config(merged, path)


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
