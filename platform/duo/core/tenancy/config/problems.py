"""What is wrong in a config file, and where: one problem per file, field and message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def flatten(errors: Any, path: FieldPath = ()) -> list[tuple[FieldPath, str]]:
    """Marshmallow's nested error messages as ``(path, message)`` pairs."""
    if isinstance(errors, Mapping):
        found: list[tuple[FieldPath, str]] = []
        for key, value in errors.items():
            found += flatten(value, path if key == "_schema" else (*path, key))
        return found
    if isinstance(errors, list | tuple):
        return [pair for item in errors for pair in flatten(item, path)]
    return [(path, str(errors))]
