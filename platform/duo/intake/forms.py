"""Forms of the candidates pages: intake, override, withdrawal, spreadsheet upload.

Choices are filled in at construction (labels follow the current locale: language names from
CLDR, the vocabulary's lazy labels). Every message sits at the field that caused it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.validators import ValidationError as FieldError

from duo.core.i18n import branch_today
from duo.core.validation import Form
from duo.eligibility.engine import Outcome
from duo.eligibility.reasons import describe_outcome
from duo.intake.fields import (
    LANGUAGE_ROWS,
    MAX_LANGUAGE_ROWS,
    UNKNOWN,
    LanguageRow,
    MultiCheckboxField,
    TagsField,
    choice,
    labelled,
    tri_choices,
    tri_data,
    tri_value,
)
from duo.people import vocab
from duo.people.models import MENTEE, MENTOR, Profile


class IntakeForm(Form):
    """What both audiences answer at the intake interview."""

    role = ""

    birth_date = DateField(_l("Date of birth"), validators=[Optional()])
    postcode = StringField(
        _l("Postcode"),
        validators=[
            Optional(),
            Length(max=16),
            Regexp(r"^[A-Za-z0-9][A-Za-z0-9 \-]{1,15}$", message=_l("Enter a valid postcode.")),
        ],
    )
    languages = FieldList(
        FormField(LanguageRow), min_entries=LANGUAGE_ROWS, max_entries=MAX_LANGUAGE_ROWS
    )
    availability = MultiCheckboxField(
        _l("Availability"), choices=[choice(s, s) for s in vocab.SLOTS]
    )
    interests = TagsField(
        _l("Interests"),
        description=_l("Separate them with commas, e.g. cooking, football, music."),
    )
    digital_skills = SelectField(_l("Digital skills"), choices=[])
    personality = TagsField(
        _l("Personality (your tags)"),
        description=_l("Short words you use to match people, e.g. calm, direct, funny."),
    )
    notes = TextAreaField(_l("Notes from the interview"), validators=[Optional(), Length(max=4000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.digital_skills.choices = [
            choice("", _l("Not assessed")),
            *labelled(vocab.DIGITAL_SKILL_LABELS),
        ]
        self.help_questions.choices = labelled(vocab.HELP_LABELS)

    def validate_birth_date(self, field: DateField) -> None:
        if field.data is None:
            return
        if field.data > branch_today():
            raise FieldError(_l("The date of birth cannot be in the future."))
        if field.data.year < 1900:
            raise FieldError(_l("Enter a date of birth after 1900."))

    def validate_languages(self, field: FieldList) -> None:
        seen: set[str] = set()
        for row in field.entries:
            code = row.form.language.data
            if not code:
                continue
            if code in seen:
                row.form.language.errors = [
                    *row.form.language.errors,
                    str(_l("This language is listed twice.")),
                ]
                raise FieldError(_l("Each language once, please."))
            seen.add(code)

    # ------------------------------------------------------------------ conversion

    def answers(self) -> dict[str, Any]:
        """The profile values (``duo.intake.interview`` field names) from the submitted form."""
        languages = {}
        for row in self.languages.entries:
            code, level = row.form.language.data, row.form.level.data
            if code and level:
                languages[code] = level
        digital = self.digital_skills.data
        return {
            "birth_date": self.birth_date.data,
            "postcode": " ".join((self.postcode.data or "").split()).upper() or None,
            "languages": languages,
            "availability": [s for s in vocab.SLOTS if s in (self.availability.data or [])],
            "interests": self.interests.tags,
            "digital_skills": int(digital) if digital not in (None, "") else None,
            "personality": self.personality.tags,
            "notes": (self.notes.data or "").strip() or None,
            "help_questions": [
                k for k in vocab.HELP_QUESTIONS if k in (self.help_questions.data or [])
            ],
            **self.role_answers(),
        }

    def role_answers(self) -> dict[str, Any]:
        """The answers to the questions only one role is asked (each role's form says)."""
        return {}

    @classmethod
    def data_from(cls, profile: Profile | None) -> dict[str, Any]:
        """Initial values for the form from a stored profile."""
        if profile is None:
            return {}
        return {
            "birth_date": profile.birth_date,
            "postcode": profile.postcode,
            "languages": [
                {"language": code, "level": level}
                for code, level in (profile.languages or {}).items()
            ],
            "availability": list(profile.availability or []),
            "interests": ", ".join(profile.interests or []),
            "digital_skills": "" if profile.digital_skills is None else str(profile.digital_skills),
            "personality": ", ".join(profile.personality or []),
            "notes": profile.notes,
            "help_questions": list(profile.help_questions or []),
            **cls.role_data_from(profile),
        }

    @staticmethod
    def role_data_from(profile: Profile) -> dict[str, Any]:
        """Initial values of the questions only one role is asked."""
        return {}


class MentorIntakeForm(IntakeForm):
    role = MENTOR

    sectors = MultiCheckboxField(_l("Sectors of experience"), choices=[])
    occupations = TagsField(
        _l("Occupations"),
        description=_l("Separate them with commas, e.g. accountant, HR manager."),
    )
    years_experience = IntegerField(
        _l("Years of professional experience"),
        validators=[
            Optional(),
            NumberRange(min=0, max=70, message=_l("Enter a number of years between 0 and 70.")),
        ],
    )
    working_status = RadioField(_l("Working or retired"), choices=[], validate_choice=False)
    help_questions = MultiCheckboxField(_l("Can help with"), choices=[])
    volunteer = RadioField(_l("Volunteers without pay"), choices=[], default=UNKNOWN)
    available_six_months = RadioField(
        _l("Available for six months, about two hours a week"), choices=[], default=UNKNOWN
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sectors.choices = labelled(vocab.SECTOR_LABELS)
        self.working_status.choices = labelled(vocab.WORKING_STATUS_LABELS)
        self.volunteer.choices = tri_choices()
        self.available_six_months.choices = tri_choices()

    def validate_working_status(self, field: RadioField) -> None:
        if field.data and field.data not in vocab.WORKING_STATUSES:
            raise FieldError(_l("Choose working or retired."))

    def role_answers(self) -> dict[str, Any]:
        return {
            "sectors": [k for k in vocab.SECTORS if k in (self.sectors.data or [])],
            "occupations": self.occupations.tags,
            "years_experience": self.years_experience.data,
            "working_status": self.working_status.data or None,
            "volunteer": tri_value(self.volunteer.data),
            "available_six_months": tri_value(self.available_six_months.data),
        }

    @staticmethod
    def role_data_from(profile: Profile) -> dict[str, Any]:
        return {
            "sectors": list(profile.sectors or []),
            "occupations": ", ".join(profile.occupations or []),
            "years_experience": profile.years_experience,
            "working_status": profile.working_status,
            "volunteer": tri_data(profile.volunteer),
            "available_six_months": tri_data(profile.available_six_months),
        }


class MenteeIntakeForm(IntakeForm):
    role = MENTEE

    target_sector = SelectField(_l("Target sector"), choices=[])
    professional_goal = TextAreaField(
        _l("Professional goal"), validators=[Optional(), Length(max=1000)]
    )
    help_questions = MultiCheckboxField(_l("Help questions"), choices=[])
    education_level = SelectField(_l("Education level"), choices=[])
    seeking_job_study_or_internship = RadioField(
        _l("Looking for a job, study or internship"), choices=[], default=UNKNOWN
    )
    registered_jobseeker = RadioField(_l("Registered as a jobseeker"), choices=[], default=UNKNOWN)
    other_barriers = RadioField(
        _l("Faces other barriers to employment"), choices=[], default=UNKNOWN
    )
    sensitive_consent = BooleanField(
        _l(
            "The candidate agrees that their migration background and residence status are "
            "recorded, only to decide their eligibility."
        )
    )
    migration_background = SelectField(_l("Migration background"), choices=[])
    allowed_to_work = RadioField(
        _l("Residence status that allows work"), choices=[], default=UNKNOWN
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_sector.choices = [
            choice("", _l("Not chosen yet")),
            *labelled(vocab.SECTOR_LABELS),
        ]
        self.education_level.choices = [
            choice("", _l("Not known")),
            *labelled(vocab.EDUCATION_LABELS),
        ]
        self.migration_background.choices = [
            choice("", _l("Not known")),
            *labelled(vocab.MIGRATION_BACKGROUND_LABELS),
        ]
        for name in (
            "seeking_job_study_or_internship",
            "registered_jobseeker",
            "other_barriers",
            "allowed_to_work",
        ):
            getattr(self, name).choices = tri_choices()

    def role_answers(self) -> dict[str, Any]:
        return {
            "target_sector": self.target_sector.data or None,
            "professional_goal": (self.professional_goal.data or "").strip() or None,
            "education_level": self.education_level.data or None,
            "seeking_job_study_or_internship": tri_value(self.seeking_job_study_or_internship.data),
            "registered_jobseeker": tri_value(self.registered_jobseeker.data),
            "other_barriers": tri_value(self.other_barriers.data),
            "migration_background": self.migration_background.data or None,
            "allowed_to_work": tri_value(self.allowed_to_work.data),
        }

    @staticmethod
    def role_data_from(profile: Profile) -> dict[str, Any]:
        return {
            "target_sector": profile.target_sector or "",
            "professional_goal": profile.professional_goal,
            "education_level": profile.education_level or "",
            "seeking_job_study_or_internship": tri_data(profile.seeking_job_study_or_internship),
            "registered_jobseeker": tri_data(profile.registered_jobseeker),
            "other_barriers": tri_data(profile.other_barriers),
            "migration_background": profile.migration_background or "",
            "allowed_to_work": tri_data(profile.allowed_to_work),
        }


def intake_form_class(role: str) -> type[IntakeForm]:
    return MentorIntakeForm if role == MENTOR else MenteeIntakeForm


class OverrideForm(Form):
    outcome = RadioField(
        _l("Decision"),
        choices=[],
        validators=[InputRequired(message=_l("Choose a decision."))],
    )
    justification = TextAreaField(
        _l("Justification"),
        description=_l("Why you decide otherwise than the rules. Kept in the person's history."),
        validators=[
            DataRequired(message=_l("Write why you decide otherwise than the rules.")),
            Length(
                max=2000, message=_l("Keep the justification under %(max)s characters.", max=2000)
            ),
        ],
    )

    def __init__(self, *args: Any, current_state: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome.choices = [
            choice(str(o), describe_outcome(o)) for o in Outcome if str(o) != current_state
        ]


class WithdrawForm(Form):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Write why the candidate stops.")),
            Length(max=2000),
        ],
    )


class EmptyForm(Form):
    """A button that only needs its CSRF token (re-evaluate, reinstate, confirm import)."""


class ImportUploadForm(Form):
    file = FileField(
        _l("Spreadsheet (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
    )


class ConsentWithdrawForm(Form):
    """Withdraw one purpose's consent (coordinator's page or the person's own link)."""

    purpose = StringField(
        _l("Purpose"),
        validators=[DataRequired(message=_l("Choose what to withdraw.")), Length(max=40)],
    )
    confirm = BooleanField(_l("I understand what withdrawing this consent does."))


class EraseForm(Form):
    """Erase a person's data now: only with the box ticked."""

    confirm = BooleanField(
        _l("I confirm: erase this person's personal data now. This cannot be undone."),
        validators=[DataRequired(message=_l("Tick the box to confirm the erasure."))],
    )
