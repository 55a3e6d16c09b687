"""The HQ API's shapes (marshmallow): the query it takes and the figures it returns.

These are also the source of the OpenAPI description (apispec), so the document and the
answers cannot drift apart.
"""

from __future__ import annotations

from marshmallow import fields, validate

from duo.core.validation import Schema


class IndicatorQuerySchema(Schema):
    year = fields.Integer(
        metadata={"description": "Calendar year (branch time); default: this year."}
    )
    country = fields.String(
        validate=validate.Length(equal=2),
        metadata={"description": "Two-letter country code (be, fr, nl)."},
    )
    branch = fields.String(
        validate=validate.Length(max=64), metadata={"description": "Branch slug, e.g. brussels."}
    )


class FigureSchema(Schema):
    value = fields.Float(allow_none=True, metadata={"description": "Null when suppressed."})
    people = fields.Integer(
        allow_none=True, metadata={"description": "People (or duos) it is computed over."}
    )
    suppressed = fields.Boolean()


class CategoryFigureSchema(Schema):
    category = fields.String(metadata={"description": "e.g. declined_first_meeting."})
    name = fields.String(metadata={"description": "The category in the answer's language."})
    year = fields.Nested(FigureSchema)


class PlaceSchema(Schema):
    level = fields.String(validate=validate.OneOf(["branch", "country", "all"]))
    code = fields.String()
    name = fields.String()
    year = fields.Nested(FigureSchema)
    quarters = fields.List(fields.Nested(FigureSchema))
    months = fields.List(fields.Nested(FigureSchema))
    categories = fields.List(
        fields.Nested(CategoryFigureSchema),
        metadata={
            "description": "The year's figure by category, for an indicator counted by one "
            "(duos stopped: by kind of reason), suppressed as at HQ."
        },
    )


class IndicatorSchema(Schema):
    key = fields.String()
    title = fields.String()
    section = fields.String()
    kind = fields.String(
        validate=validate.OneOf(["count", "snapshot", "rate", "mean", "median", "p90"])
    )
    unit = fields.String(allow_none=True)
    definition_url = fields.Url()
    places = fields.List(fields.Nested(PlaceSchema))


class IndicatorsSchema(Schema):
    year = fields.Integer()
    country = fields.String(allow_none=True)
    branch = fields.String(allow_none=True)
    suppression_threshold = fields.Integer()
    data_hash = fields.String(metadata={"description": "Hash of the rollups the figures use."})
    indicators = fields.List(fields.Nested(IndicatorSchema))


class ApiErrorSchema(Schema):
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
