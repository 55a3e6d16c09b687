"""Small pure helpers the cast draws with: a weighted choice, names folded to ASCII for
e-mail addresses, dates of birth for an age, phone numbers in the country's format."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from duo.consumers.demo import data


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


_FOLD = str.maketrans({"ı": "i", "ø": "o", "ß": "ss", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d"})


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    folded = folded.encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return (day - timedelta(days=1)).replace(year=day.year - years)


def plain_family_name(name: str) -> bool:
    """One family name, maybe after particles: not Faker's "Aelftrud van Wessex"."""
    words = name.split()
    return bool(words) and all(w.lower() in data.NAME_PARTICLES for w in words[:-1])


def birth_date(rng: random.Random, today: date, age: int) -> date:
    """A date of birth giving exactly ``age`` today."""
    return years_before(today - timedelta(days=rng.randint(1, 360)), age)


def phone(rng: random.Random, country: str) -> str:
    prefix, starts, groups = data.PHONE_FORMATS.get(country, data.PHONE_FORMATS["be"])
    digits = [rng.choice(starts)]
    digits += ["".join(str(rng.randint(0, 9)) for _ in range(size)) for size in groups]
    return prefix + " ".join(digits)
