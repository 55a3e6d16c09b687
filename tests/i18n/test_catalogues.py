"""Every message a person can see exists in French and Dutch, and not as a fuzzy guess."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from duo.core.settings import REPO_ROOT

KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def extracted() -> set[str]:
    with open(REPO_ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    ids: set[str] = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(REPO_ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def catalogue(locale: str):
    path = REPO_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def test_catalogues_exist_for_the_three_languages() -> None:
    for locale in ("en", "fr", "nl"):
        assert (REPO_ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").exists()


def test_every_message_is_translated_in_french_and_dutch() -> None:
    messages = extracted()
    assert len(messages) > 50
    problems = []
    for locale in ("fr", "nl"):
        cat = catalogue(locale)
        for msgid in sorted(messages):
            entry = cat.get(msgid)
            if entry is None:
                problems.append(f"{locale}: missing: {msgid!r}")
            elif entry.fuzzy:
                problems.append(f"{locale}: fuzzy: {msgid!r}")
            elif not (entry.string if isinstance(entry.string, str) else all(entry.string)):
                problems.append(f"{locale}: untranslated: {msgid!r}")
    assert not problems, (
        f"{len(problems)} translation problem(s); run `make i18n-update` and translate:\n"
        + "\n".join(problems[:80])
    )


def test_placeholders_survive_translation() -> None:
    import re

    pattern = re.compile(r"%\((\w+)\)[sd]")
    problems = []
    for locale in ("fr", "nl"):
        for entry in catalogue(locale):
            if not entry.id or not entry.string:
                continue
            source = entry.id if isinstance(entry.id, str) else entry.id[0]
            target = entry.string if isinstance(entry.string, str) else entry.string[0]
            if set(pattern.findall(source)) != set(pattern.findall(target)):
                problems.append(f"{locale}: {source!r} -> {target!r}")
    assert not problems, "\n".join(problems)
