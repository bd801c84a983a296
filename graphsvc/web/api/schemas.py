"""Request and response schemas (marshmallow), shared by the blueprints and the OpenAPI document."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from webargs.fields import DelimitedList

from graphsvc.transfer.fileformats import KEY_MAX_LENGTH, PROEFTUIN_KEY_PATTERN, SPECS
from graphsvc.transfer.fileformats.cells import attribute_name_problem, key_problem
from graphsvc.vocabulary import KIND_KEYS, TIE_TYPE_KEYS
from graphsvc.web.api.report_schemas import SCALAR


class ProeftuinSchema(Schema):
    key = fields.String(required=True, metadata={"description": "Stable key of the proeftuin"})
    name = fields.String(required=True)
    municipality = fields.String()
    fictional = fields.Boolean(metadata={"description": "True for the fictional demo data"})
    version = fields.Integer(metadata={"description": "Increases with every change"})
    actors = fields.Integer(metadata={"description": "Number of actors"})
    meetings = fields.Integer()
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": f"Actors per kind ({', '.join(KIND_KEYS)})"},
    )


# -- the data API: proeftuinen, actors, ties, meetings, imports, exports ------------
#
# Request schemas validate against the vocabulary (kinds and tie types are OneOf its
# keys) and the file contract's key rules, so a bad value is a 422 problem naming the
# field before any query runs.  Dates are ISO (YYYY-MM-DD).

MAX_PAGE_SIZE = 500
# (page - 1) * page_size is sent to Neo4j as a 64-bit SKIP; a bound keeps a huge page
# number a 422 instead of an overflow (500). A million pages is beyond any store we hold.
MAX_PAGE = 1_000_000
_INT64 = (-(2**63), 2**63 - 1)


def _valid_key(value: str) -> None:
    if value != value.strip():
        raise ValidationError("A key may not start or end with spaces.")
    problem = key_problem(value)
    if problem:
        raise ValidationError(f"Invalid key: {problem[1]}.")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("May not be empty.")


def _key_field(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=_valid_key,
        metadata={"description": f"Stable external id (at most {KEY_MAX_LENGTH} characters)"},
        **kwargs,
    )


class AttrValue(fields.Field):
    """An attribute value: text, a whole number, a finite number or a boolean (no null, list)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> Any:
        if isinstance(value, bool | str):
            return value
        if isinstance(value, int) and _INT64[0] <= value <= _INT64[1]:
            return value
        if isinstance(value, float) and math.isfinite(value):
            return value
        raise ValidationError("Expected text, a number or true/false.")

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return value


def _attributes(table: str) -> fields.Dict:
    spec = SPECS[table]

    def check_name(name: str) -> None:
        problem = attribute_name_problem(name)
        if problem:
            raise ValidationError(f"Invalid attribute name: {problem[1]}.")
        if spec.reserved(name):
            raise ValidationError(f"'{name}' is a fixed field, not an attribute.")

    return fields.Dict(
        keys=fields.String(validate=check_name),
        values=AttrValue(metadata=SCALAR),
        load_default=dict,
        metadata={"description": "Further attributes: text, numbers or booleans"},
    )


# -- paging -----------------------------------------------------------------------------------


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1"},
    )
    page_size = fields.Integer(
        load_default=100,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Items per page (at most {MAX_PAGE_SIZE})"},
    )


class PageSchema(Schema):
    total = fields.Integer(metadata={"description": "Number of items over all pages"})
    page = fields.Integer()
    page_size = fields.Integer()
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page"})
    prev = fields.String(allow_none=True, metadata={"description": "URL of the previous page"})


# -- proeftuinen ------------------------------------------------------------------------------


class ProeftuinCreateSchema(Schema):
    key = fields.String(
        required=True,
        validate=validate.Regexp(
            f"^{PROEFTUIN_KEY_PATTERN}$",
            error="Use lowercase letters, digits, '-' and '_' (start with a letter or digit, "
            "at most 64 characters).",
        ),
    )
    name = fields.String(required=True, validate=_not_blank)
    municipality = fields.String(load_default="")
    fictional = fields.Boolean(load_default=False)


class ProeftuinUpdateSchema(Schema):
    """PUT: the name, and the municipality (empty when left out)."""

    name = fields.String(required=True, validate=_not_blank)
    municipality = fields.String(load_default="")


class ProeftuinPatchSchema(Schema):
    """PATCH: what is given changes, the rest stays."""

    name = fields.String(validate=_not_blank)
    municipality = fields.String()


# -- actors -----------------------------------------------------------------------------------


class ActorSchema(Schema):
    key = _key_field(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KIND_KEYS))
    name = fields.String(required=True, validate=_not_blank)
    proeftuinen = fields.List(
        fields.String(),
        dump_only=True,
        metadata={"description": "Every proeftuin the actor belongs to"},
    )
    attributes = _attributes("actors")


class ActorUpdateSchema(Schema):
    """PUT replaces kind, name and attributes; a ``key`` in the body must match the URL."""

    key = _key_field()
    kind = fields.String(required=True, validate=validate.OneOf(KIND_KEYS))
    name = fields.String(required=True, validate=_not_blank)
    attributes = _attributes("actors")


class ActorArgs(PageArgs):
    kind = fields.String(
        validate=validate.OneOf(KIND_KEYS),
        load_default=None,
        metadata={"description": "Only actors of this kind"},
    )


class ActorPageSchema(PageSchema):
    items = fields.List(fields.Nested(ActorSchema))


# -- ties -------------------------------------------------------------------------------------


class TieRefSchema(Schema):
    """The identity of a tie (DELETE: from the query string, a JSON body, or both)."""

    source = _key_field()
    target = _key_field()
    type = fields.String(
        validate=validate.OneOf(TIE_TYPE_KEYS), metadata={"description": "Tie type"}
    )
    since = fields.Date(metadata={"description": "YYYY-MM-DD"})


class TieSchema(Schema):
    source = _key_field(required=True)
    target = _key_field(required=True)
    type = fields.String(required=True, validate=validate.OneOf(TIE_TYPE_KEYS))
    since = fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    until = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "YYYY-MM-DD; null while the tie lasts"},
    )
    weight = fields.Float(
        load_default=1.0, allow_nan=False, validate=validate.Range(min=0, min_inclusive=False)
    )
    provenance = fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "Where the tie is known from (survey, interview, ...)"},
    )
    attributes = _attributes("ties")

    @validates_schema
    def _check(self, data: dict[str, Any], **kwargs: Any) -> Any:
        errors = {}
        if data.get("source") is not None and data.get("source") == data.get("target"):
            errors["target"] = ["A tie from an actor to itself is not allowed."]
        until, since = data.get("until"), data.get("since")
        if until is not None and since is not None and until < since:
            errors["until"] = ["'until' is before 'since'."]
        if errors:
            raise ValidationError(errors)


class TieArgs(PageArgs):
    type = DelimitedList(
        fields.String(validate=validate.OneOf(TIE_TYPE_KEYS)),
        metadata={"description": "Only these tie types (comma-separated)"},
    )
    confirmed = fields.Boolean(
        metadata={
            "description": "true: leave out ties a survey reported from one side only; "
            "false: only those (docs/metrics.md §11)"
        },
    )


class TiePageSchema(PageSchema):
    items = fields.List(fields.Nested(TieSchema))


# -- meetings and attendance ------------------------------------------------------------------


class MeetingSchema(Schema):
    key = _key_field(required=True)
    date = fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    title = fields.String(required=True, validate=_not_blank)
    proeftuin = fields.String(dump_only=True)
    attendees = fields.List(
        fields.String(), dump_only=True, metadata={"description": "Keys of the actors who attended"}
    )
    attributes = _attributes("meetings")


class MeetingUpdateSchema(Schema):
    key = _key_field()
    date = fields.Date(required=True)
    title = fields.String(required=True, validate=_not_blank)
    attributes = _attributes("meetings")


class MeetingPageSchema(PageSchema):
    items = fields.List(fields.Nested(MeetingSchema))


class AttendanceSchema(Schema):
    actors = fields.List(
        _key_field(),
        required=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "Keys of actors of this proeftuin"},
    )


class AttendanceRefSchema(Schema):
    """DELETE: the actors in a JSON body (or ``actor`` in the query)."""

    actors = fields.List(_key_field(), validate=validate.Length(max=1000))


class AttendanceArgs(Schema):
    actor = DelimitedList(
        _key_field(),
        metadata={
            "description": "Keys of the actors (comma-separated); or 'actors' in a JSON body"
        },
    )


class AttendanceResultSchema(Schema):
    recorded = fields.Integer(metadata={"description": "Attendances newly recorded or removed"})
    version = fields.Integer(metadata={"description": "The proeftuin's version"})
    meeting = fields.Nested(MeetingSchema)


# -- imports and exports ----------------------------------------------------------------------


class ImportArgs(Schema):
    dry_run = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Check everything and answer what would be created, updated and "
            "unchanged, without writing"
        },
    )


class ImportFilesSchema(Schema):
    """The multipart form: the four CSV tables as fields, or files in ``file``."""

    actors = Upload(metadata={"description": "actors.csv"})
    ties = Upload(metadata={"description": "ties.csv"})
    meetings = Upload(metadata={"description": "meetings.csv"})
    attendance = Upload(metadata={"description": "attendance.csv"})
    file = fields.List(
        Upload(),
        metadata={
            "description": "One XLSX workbook, one JSON file, a zip of CSV files, or CSV files "
            "named after their table"
        },
    )


class ImportProblemSchema(Schema):
    """One problem or notice of an import, located as the user sees it."""

    file = fields.String(required=True, allow_none=True)
    table = fields.String(
        required=True, allow_none=True, metadata={"description": "null: the upload as a whole"}
    )
    row = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "Header = 1, first data row = 2 (JSON: item number)"},
    )
    column = fields.String(required=True, allow_none=True)
    code = fields.String(required=True)
    value = fields.String(required=True, allow_none=True)
    message_nl = fields.String(required=True)
    message_en = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "In the language asked for"})


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    changed = fields.Boolean(metadata={"description": "False when the import changed nothing"})
    files = fields.List(fields.String())
    rows = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Rows read per table"},
    )
    created = fields.Dict(keys=fields.String(), values=fields.Integer())
    updated = fields.Dict(keys=fields.String(), values=fields.Integer())
    unchanged = fields.Dict(keys=fields.String(), values=fields.Integer())
    versions = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "New version of every proeftuin written"},
    )
    notices = fields.List(
        fields.Nested(ImportProblemSchema),
        metadata={"description": "Remarks that did not block the import"},
    )


class ExportArgs(Schema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(("json", "csv", "xlsx", "graphml", "gexf")),
        metadata={"description": "File format of the export"},
    )
    delimiter = fields.String(
        load_default=",",
        validate=validate.OneOf((",", ";")),
        metadata={
            "description": "CSV only: ',' or ';' (Dutch Excel; weights then use a decimal comma)"
        },
    )
