"""/api/v1/proeftuinen/{key}/meetings: meetings of a proeftuin and who attended them."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint, abort

from graphsvc.dataset import Meeting
from graphsvc.web.api.caching import ETAG_HEADER, IF_MATCH, Conditional, changed, not_modified
from graphsvc.web.api.common import paged_response, proeftuin_versions, same_key, window
from graphsvc.web.api.schemas import (
    AttendanceArgs,
    AttendanceRefSchema,
    AttendanceResultSchema,
    AttendanceSchema,
    MeetingPageSchema,
    MeetingSchema,
    MeetingUpdateSchema,
    PageArgs,
)
from graphsvc.web.auth import require_role
from graphsvc.web.services import store

__all__ = ["blp", "meeting_dict"]

blp = Blueprint(
    "meetings",
    __name__,
    url_prefix="/api/v1/proeftuinen/<key>/meetings",
    description="Meetings of a proeftuin (events that may create ties) and their "
    "attendance. Attendance is actor-level data: analyst and up.",
)


_CHANGED = changed("the meeting")


def meeting_dict(meeting: Meeting, attendees: list[str]) -> dict[str, Any]:
    """A meeting as MeetingSchema dumps it (the date still a date)."""
    return {
        "key": meeting.key,
        "date": meeting.date,
        "title": meeting.title,
        "proeftuin": meeting.proeftuin,
        "attendees": attendees,
        "attributes": meeting.attributes,
    }


#: A meeting (with its attendees) as served, its ETag and the If-Match check of a write.
_MEETING: Conditional[tuple[Meeting, list[str]]] = Conditional(
    lambda found: MeetingSchema().dump(meeting_dict(*found))
)


@blp.route("")
@require_role("analyst")
@blp.arguments(PageArgs, location="query")
@blp.response(200, MeetingPageSchema)
def list_meetings(args: dict[str, Any], key: str) -> Any:
    """One page of the meetings of the proeftuin, in key order, with their attendees."""
    versions = proeftuin_versions(key)
    early = not_modified(versions)
    if early is not None:
        return early
    skip, limit = window(args)
    meetings, total = store().meetings.list(key, skip, limit)
    items = MeetingSchema(many=True).dump([meeting_dict(m, a) for m, a in meetings])
    return paged_response(items, total, args, versions)


@blp.route("", methods=["POST"])
@require_role("editor")
@blp.arguments(MeetingSchema)
@blp.response(201, MeetingSchema, headers=ETAG_HEADER)
@blp.alt_response(409, description="A meeting with this key exists")
def create_meeting(data: dict[str, Any], key: str) -> Any:
    """Add a meeting to the proeftuin (meeting keys are unique over all proeftuinen)."""
    store().meetings.create(
        Meeting(data["key"], data["date"], data["title"], key, data["attributes"])
    )
    response = _MEETING.response(store().meetings.get(key, data["key"]), 201)
    response.headers["Location"] = url_for("meetings.get_meeting", key=key, meeting=data["key"])
    return response


@blp.route("/<meeting>")
@require_role("analyst")
@blp.response(200, MeetingSchema, headers=ETAG_HEADER)
def get_meeting(key: str, meeting: str) -> Any:
    """One meeting with its attendees, with its ETag (for If-None-Match and If-Match)."""
    return _MEETING.response(store().meetings.get(key, meeting))


@blp.route("/<meeting>", methods=["PUT"])
@require_role("editor")
@blp.arguments(MeetingUpdateSchema)
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, MeetingSchema, headers=ETAG_HEADER)
@blp.alt_response(412, description=_CHANGED)
def update_meeting(data: dict[str, Any], key: str, meeting: str) -> Any:
    """Replace a meeting's date, title and attributes (its attendance stays).

    With `If-Match` (the ETag of a GET) only while the meeting is unchanged.
    """
    same_key(meeting, data)
    store().meetings.update(
        Meeting(meeting, data["date"], data["title"], key, data["attributes"]),
        expected=_MEETING.expected(),
    )
    return _MEETING.response(store().meetings.get(key, meeting))


@blp.route("/<meeting>", methods=["DELETE"])
@require_role("editor")
@blp.doc(parameters=[IF_MATCH])
@blp.response(204)
@blp.alt_response(412, description=_CHANGED)
def delete_meeting(key: str, meeting: str) -> Any:
    """Delete a meeting and its attendance (with `If-Match`: only while unchanged)."""
    store().meetings.delete(key, meeting, expected=_MEETING.expected())


@blp.route("/<meeting>/attendance", methods=["POST"])
@require_role("editor")
@blp.arguments(AttendanceSchema)
@blp.response(200, AttendanceResultSchema)
def add_attendance(data: dict[str, Any], key: str, meeting: str) -> Any:
    """Record that actors of the proeftuin attended the meeting (recording twice is harmless).

    An actor that is not in the proeftuin is a 422 problem naming `actors`.
    """
    recorded, version = store().attendance.create(key, meeting, data["actors"])
    return {
        "recorded": recorded,
        "version": version,
        "meeting": meeting_dict(*store().meetings.get(key, meeting)),
    }


@blp.route("/<meeting>/attendance", methods=["DELETE"])
@require_role("editor")
@blp.arguments(AttendanceArgs, location="query")
@blp.arguments(AttendanceRefSchema, location="json", required=False)
@blp.response(200, AttendanceResultSchema)
def remove_attendance(
    in_query: dict[str, Any], in_body: dict[str, Any], key: str, meeting: str
) -> Any:
    """Remove recorded attendance: actors by `actor` in the query or `actors` in a JSON body."""
    actors = list(in_query.get("actor") or []) + list(in_body.get("actors") or [])
    if not actors:
        abort(422, messages={"query": {"actor": ["Missing data for required field."]}})
    removed, version = store().attendance.delete(key, meeting, actors)
    return {
        "recorded": removed,
        "version": version,
        "meeting": meeting_dict(*store().meetings.get(key, meeting)),
    }
