"""A branch merged onto its country, and which file holds each value of the result.

Tables deep-merge, branch keys win; rules (by ``id``) and training modules / recurring
workshops (by ``key``) merge by identity, field by field, new ones appended in order; other
lists are replaced whole. An override that changes a rule's ``kind`` replaces the country's
rule entirely. Pure functions on plain dicts: no file, no schema.
"""

from __future__ import annotations

import copy
from typing import Any

from duo.core.tenancy.config.problems import FieldPath, Segment

#: The sections a country defines and a branch may override.
SECTIONS: tuple[str, ...] = (
    "choices",
    "programme",
    "eligibility",
    "training",
    "matching",
    "duos",
    "evaluation",
    "privacy",
)

#: Sections a country may leave out (the merged branch has them only when one file does).
OPTIONAL_SECTIONS: tuple[str, ...] = ("reporting",)


def _identity(path: FieldPath) -> str | None:
    """The identity key of the list at ``path``, if its items merge by identity."""
    if len(path) == 3 and path[0] == "eligibility" and path[2] == "rules":
        return "id"
    if path in (("training", "modules"), ("training", "recurring"), ("privacy", "purposes")):
        return "key"
    return None


def merge(base: Any, override: Any, path: FieldPath = ()) -> Any:
    """``override`` merged onto ``base`` by the spec's rules; neither argument is changed."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = copy.deepcopy(base)
        for key, value in override.items():
            if key in base:
                merged[key] = merge(base[key], value, (*path, key))
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
                merged_items[index] = merge(merged_items[index], item, (*path, index))
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


def locate(path: FieldPath, merged: dict, sources: dict[str, dict]) -> tuple[str, FieldPath]:
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
                paths[name].append(local)
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


def merged_view(branch: dict, country: dict) -> dict[str, Any]:
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
        merged[section] = merge(country[section], branch.get(section, {}), (section,))
    for section in OPTIONAL_SECTIONS:
        if section in country or section in branch:
            merged[section] = merge(country.get(section, {}), branch.get(section, {}), (section,))
    return merged
