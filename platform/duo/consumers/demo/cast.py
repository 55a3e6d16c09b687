"""Who the demo people of a branch are: names, contacts, intake answers and their part in the story.

Pure and deterministic: :func:`cast_for` draws everything from a random generator seeded
with the seed value and the branch's slug (never its database id), so two ``make run`` on
the same day give the same people with the same profiles; dates of birth are relative to
the branch's today. No database here: :mod:`duo.consumers.demo.story` makes the people live through
the platform's own functions.

Each :class:`~duo.consumers.demo.personas.Persona` has a **part** in the story
(:mod:`duo.consumers.demo.parts` says which parts there are and who gets them).

Choices that make the matching page worth looking at:

- a branch uses a handful of sectors (drawn per branch), so most mentees' target sector is
  some mentor's sector;
- slots come mostly from the evenings, Wednesday and Saturday, interests and personality
  from short lists in the branch's language, so overlaps happen without being universal;
- every mentor speaks the branch's first language well, mentees speak the language they
  chose at B1 or better (some with a second working language): pairs have a common
  language, except the odd Brussels pair, as in life;
- the mentor of each demo duo is drawn to suit its mentee (same sector, shared slots...),
  as a coordinator would have chosen.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from duo.consumers.demo import data, draw
from duo.consumers.demo.parts import (
    DUO_EVALUATED,
    DUO_PARTS,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    POOL_MID,
    WAITING_TRAINING,
    parts_for,
)
from duo.consumers.demo.personas import Branch, Persona
from duo.people.models import MENTEE, MENTOR
from duo.people.vocab import HELP_QUESTIONS

if TYPE_CHECKING:
    from faker import Faker

_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")


class _Caster:
    """Draws the people of one branch, in order, from one seeded generator."""

    def __init__(self, branch: Branch, seed_value: int, today: date) -> None:
        self.branch = branch
        self.today = today
        salt = zlib.crc32(branch.slug.encode("utf-8"))
        self.rng = random.Random(seed_value * 1_000_003 + salt)
        self.faker_seed = seed_value + salt
        self.fakers: dict[str, Faker] = {}
        self.sectors = tuple(self.rng.sample(data.SECTORS, k=min(8, len(data.SECTORS))))
        self.postcodes = data.POSTCODES.get(branch.slug) or data.COUNTRY_POSTCODES.get(
            branch.country, ("1000",)
        )
        self.names: set[str] = set()
        self.used_words: set[str] = set()
        self.emails: set[str] = set()
        self.by_part: dict[str, list[Persona]] = {}
        lang = branch.language if branch.language in data.INTERESTS else "en"
        self.lang = lang

    # ----------------------------------------------------------------- helpers

    def faker_locale(self, locale: str) -> str:
        return data.FAKER_LOCALES.get(
            (self.branch.country, locale), data.DEFAULT_FAKER_LOCALE.get(locale, "en_GB")
        )

    def faker(self, locale: str) -> Faker:
        code = self.faker_locale(locale)
        if code not in self.fakers:
            from faker import Faker  # large: loaded when the demo is seeded, not at start

            fake = Faker(code)
            fake.seed_instance(self.faker_seed + zlib.crc32(code.encode()))
            self.fakers[code] = fake
        return self.fakers[code]

    def pick_locale(self, role: str) -> str:
        locales = self.branch.locales
        if len(locales) == 1:
            return locales[0]
        # The branch's first language is the most common; English is more common among
        # mentees (newcomers) than among mentors.
        weights = [
            5 if i == 0 else (2 if code == "en" and role == MENTEE else 2 if code != "en" else 1)
            for i, code in enumerate(locales)
        ]
        return self.rng.choices(locales, weights=weights)[0]

    def fresh(self, values: tuple[str, ...]) -> str:
        """One of ``values``, preferably not used yet in this branch (first or last name)."""
        unused = [v for v in values if v not in self.used_words]
        value = self.rng.choice(unused or list(values))
        self.used_words.add(value)
        return value

    def unique_name(self, draw_name: Any) -> tuple[str, str]:
        for _attempt in range(50):
            first, last = draw_name()
            if f"{first} {last}" not in self.names:
                break
        self.names.add(f"{first} {last}")
        return first, last

    def email(self, first: str, last: str) -> str:
        base = (
            ".".join(part for part in (draw.ascii_fold(first), draw.ascii_fold(last)) if part)
            or "candidate"
        )
        address, n = f"{base}@example.org", 1
        while address in self.emails:
            n += 1
            address = f"{base}{n}@example.org"
        self.emails.add(address)
        return address

    def sample(self, values: tuple[str, ...], low: int, high: int) -> list[str]:
        k = min(len(values), self.rng.randint(low, high))
        return sorted(self.rng.sample(values, k), key=values.index)

    def persona(
        self,
        role: str,
        first: str,
        last: str,
        heard_from: tuple[tuple[str, int], ...],
        **values: Any,
    ) -> Persona:
        """The persona with its contacts drawn (phone, then how they heard of us: in that
        order, so that the same seed gives the same people)."""
        return Persona(
            role=role,
            first_name=first,
            last_name=last,
            email=self.email(first, last),
            phone=draw.phone(self.rng, self.branch.country),
            heard_from=draw.weighted(self.rng, heard_from),
            **values,
        )

    # ----------------------------------------------------------------- mentees

    def mentee(self, number: int, part: str, rank: int) -> Persona:
        rng, branch = self.rng, self.branch
        origin_key = rng.choice(tuple(data.ORIGINS))
        second_generation = origin_key in data.SECOND_GENERATION_ORIGINS and rng.random() < 0.45
        origin = data.ORIGINS[origin_key]
        first, last = self.unique_name(
            lambda: (self.fresh(origin["first"]), self.fresh(origin["last"]))
        )
        locale = self.pick_locale(MENTEE)
        if second_generation and locale == "en":
            # Born here: they went to school in the branch's language.
            locale = next((code for code in branch.locales if code != "en"), locale)
        age = rng.randint(19, 31)
        if part == NOT_ELIGIBLE:
            age = 35  # the programme takes mentees up to 33
        if part == DUO_EVALUATED:
            age = max(age, 23)  # 18 or older at their intake, two years ago
        tongue = rng.choice(origin["tongues"])
        languages: dict[str, str] = {}
        if second_generation:
            languages[locale] = "native"
            if tongue != locale:
                languages[tongue] = rng.choice(("A2", "B1", "B2", "C1"))
        else:
            languages[tongue] = "native"
            if locale not in languages:
                languages[locale] = rng.choice(("B1", "B2", "B2", "C1"))
        others = [code for code in branch.working_languages if code not in languages]
        if others and rng.random() < 0.45:
            languages[rng.choice(others)] = rng.choice(("A2", "B1", "B2"))
        if "en" not in languages and rng.random() < 0.35:
            languages["en"] = rng.choice(("A2", "B1", "B2"))

        slots = self.sample(data.COMMON_SLOTS, 3, 5)
        if rng.random() < 0.4:
            slots += self.sample(data.DAYTIME_SLOTS, 1, 2)
        sector = rng.choice(self.sectors)
        help_pool = ("cv", "interview", "network", "job_search", "cover_letter", "self_confidence")
        help_questions = self.sample(help_pool, 2, 3)
        if not second_generation and rng.random() < 0.5:
            help_questions.append("language")
        if rng.random() < 0.3:
            help_questions.append(rng.choice(("orientation", "digital")))
        education = rng.choice(
            ("upper_secondary", "vocational", "lower_secondary", "bachelor")
            if second_generation
            else ("bachelor", "master", "upper_secondary", "vocational", "bachelor")
        )
        notes = None
        if education in ("bachelor", "master") and not second_generation and rng.random() < 0.5:
            notes = data.text(data.NOTES["diploma"], self.lang)
        migration = (
            "non_eu_nationality"
            if not second_generation
            else draw.weighted(
                rng, (("parent_born_outside_eu", 4), ("grandparent_born_outside_eu", 1))
            )
        )
        other_barriers = None
        if part == POOL_MID and rank == 0 and branch.accepts_other_barriers:
            migration, other_barriers = "none", True
            languages = {locale: "native"}
            education = "lower_secondary"
            notes = data.text(data.NOTES["other_barriers"], self.lang)
        consent = True
        if part == NEEDS_REVIEW:
            consent = False
            notes = data.text(data.NOTES["mentee_no_consent"], self.lang)
        if part == NOT_ELIGIBLE:
            notes = data.text(data.NOTES["mentee_too_old"], self.lang)
        birth_date = draw.birth_date(rng, self.today, age)
        answers = {
            "postcode": rng.choice(self.postcodes),
            "birth_date": birth_date,
            "languages": languages,
            "availability": slots,
            "interests": self.sample(data.INTERESTS[self.lang], 2, 4),
            "digital_skills": draw.weighted(rng, (("1", 3), ("2", 4), ("3", 2), ("0", 1))),
            "personality": self.sample(data.PERSONALITY[self.lang], 1, 3),
            "notes": notes,
            "help_questions": help_questions,
            "target_sector": sector,
            "professional_goal": data.text(data.GOALS[sector], self.lang),
            "education_level": education,
            "seeking_job_study_or_internship": True,
            "registered_jobseeker": rng.random() < 0.7,
            "other_barriers": other_barriers,
            "migration_background": migration,
            "allowed_to_work": True,
        }
        answers["digital_skills"] = int(answers["digital_skills"])
        return self.persona(
            MENTEE,
            first,
            last,
            data.HEARD_FROM_MENTEES,
            number=number,
            part=part,
            rank=rank,
            locale=locale,
            birth_date=birth_date,
            answers=answers,
            consent=consent,
        )

    # ----------------------------------------------------------------- mentors

    def mentor(self, number: int, part: str, rank: int) -> Persona:
        rng, branch = self.rng, self.branch
        locale = self.pick_locale(MENTOR)
        fake = self.faker(locale)
        first_names = data.MENTOR_FIRST_NAMES.get(self.faker_locale(locale))

        def draw_name() -> tuple[str, str]:
            last = fake.last_name()
            for _attempt in range(20):
                if draw.plain_family_name(last):
                    break
                last = fake.last_name()
            return (self.fresh(first_names) if first_names else fake.first_name()), last

        first, last = self.unique_name(draw_name)
        age = rng.randint(52, 72)
        if part == NOT_ELIGIBLE:
            age = 46  # mentors are 50 or older
        if part == DUO_EVALUATED:
            age = max(age, 54)  # 50 or older at their intake, two years ago
        birth_date = draw.birth_date(rng, self.today, age)
        if part == WAITING_TRAINING:
            # Turns 50 in about two months: the rules say no, the coordinator says yes.
            birthday = self.today + timedelta(days=rng.randint(40, 80))
            birth_date = draw.years_before(birthday, 50)
        retired = age >= 63 or (age >= 58 and rng.random() < 0.4)
        languages = {locale: "native"}
        first_language = branch.language
        if first_language not in languages:
            languages[first_language] = rng.choice(("B2", "C1", "C2"))
        for code in branch.working_languages:
            if code not in languages and rng.random() < 0.55:
                languages[code] = rng.choice(("B1", "B2", "C1"))
        if "en" not in languages and rng.random() < 0.5:
            languages["en"] = rng.choice(("B1", "B2", "C1"))
        if rng.random() < 0.15:
            languages[rng.choice(("de", "es", "it"))] = rng.choice(("A2", "B1", "B2"))

        slots = self.sample(data.COMMON_SLOTS, 3, 4)
        if retired:
            slots += self.sample(data.DAYTIME_SLOTS, 2, 3)
        sectors = self.sample(self.sectors, 1, 2)
        expertise = self.sample(HELP_QUESTIONS, 3, 5)
        interests = self.sample(data.INTERESTS[self.lang], 2, 4)
        personality = self.sample(data.PERSONALITY[self.lang], 1, 3)

        mentee = self._duo_mentee(part)
        if mentee is not None:
            # The coordinator chose this mentor for this mentee: it shows in the profile.
            wanted = mentee.answers
            target = wanted["target_sector"]
            sectors = [target, *[s for s in sectors if s != target][:1]]
            expertise = list(dict.fromkeys([*wanted["help_questions"], *expertise]))[:6]
            shared = wanted["availability"][: max(2, len(wanted["availability"]) - 1)]
            slots = list(dict.fromkeys([*shared, *slots]))
            interests = list(dict.fromkeys([*wanted["interests"][:1], *interests]))
            personality = list(dict.fromkeys([*wanted["personality"][:1], *personality]))
            # They share the mentee's best working language.
            spoken = [
                (_LEVELS.index(level), code)
                for code, level in wanted["languages"].items()
                if code in branch.working_languages and level in _LEVELS[2:]
            ]
            if spoken:
                code = max(spoken)[1]
                if _LEVELS.index(languages.get(code, "A1")) < _LEVELS.index("C1"):
                    languages[code] = "C1"

        years = max(10, age - 23 - rng.randint(0, 8))
        available = True
        notes = None
        if part == NEEDS_REVIEW:
            available = None
            notes = data.text(data.NOTES["mentor_unsure"], self.lang)
        if part == NOT_ELIGIBLE:
            notes = data.text(data.NOTES["mentor_too_young"], self.lang)
        answers = {
            "postcode": rng.choice(self.postcodes),
            "birth_date": birth_date,
            "languages": languages,
            "availability": slots,
            "interests": interests,
            "digital_skills": int(draw.weighted(rng, (("2", 5), ("3", 3), ("1", 2)))),
            "personality": personality,
            "notes": notes,
            "help_questions": expertise,
            "sectors": sectors,
            "occupations": [data.OCCUPATIONS[s][self.lang] for s in sectors[:1]],
            "years_experience": years,
            "working_status": "retired" if retired else "working",
            "volunteer": True,
            "available_six_months": available,
        }
        return self.persona(
            MENTOR,
            first,
            last,
            data.HEARD_FROM_MENTORS,
            number=number,
            part=part,
            rank=rank,
            locale=locale,
            birth_date=birth_date,
            answers=answers,
        )

    def _duo_mentee(self, part: str) -> Persona | None:
        if part not in DUO_PARTS:
            return None
        return next((p for p in self.by_part.get(part, []) if p.role == MENTEE), None)

    # ----------------------------------------------------------------- cast

    def cast(self, n: int) -> list[Persona]:
        people: list[Persona] = []
        for number, (part, role) in enumerate(parts_for(n)):
            rank = sum(1 for p in self.by_part.get(part, []) if p.role == role)
            persona = (
                self.mentee(number, part, rank)
                if role == MENTEE
                else self.mentor(number, part, rank)
            )
            self.by_part.setdefault(part, []).append(persona)
            people.append(persona)
        return people


def cast_for(branch: Branch, n: int, seed_value: int, today: date) -> list[Persona]:
    """The ``n`` demo people of ``branch`` (same input, same people)."""
    return _Caster(branch, seed_value, today).cast(n)
