"""Typed OpenAPI schemas of the computed bodies: the network report's cohesion and mixing, the
scorecard, the actor changes and the decision routes (signals, introductions, meeting effects,
phases).

Documentation only, like the other response schemas of the metric routes: the views send the
computed JSON as it is.  Every object is typed, so a client generated from the OpenAPI document
gets real classes instead of free-form dicts; maps whose keys come from the data (kinds,
groups, group pairs, actors) are ``fields.Dict(keys=String, values=<typed>)``.  A value is
``allow_none`` wherever the metric can be undefined (docs/metrics.md: None, never NaN), and
``required`` wherever the service always sends it, so that the conformance checks
(``tests/integration/test_response_schemas.py`` and the fuzz test) notice any drift.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from graphsvc.metrics.brokerage import ROLES
from graphsvc.metrics.phases import PHASES
from graphsvc.metrics.rules import CONTEXT_ONLY
from graphsvc.metrics.signals import SIGNAL_ACTORS

__all__ = [
    "SCALAR",
    "Scalar",
    "number",
    "count_map",
    "number_map",
    "Cohesion",
    "Mixing",
    "Scorecard",
    "ActorChanges",
    "SignalsResponse",
    "IntroductionsResponse",
    "MeetingEffectsResponse",
    "MeetingEffectResponse",
    "PhasesResponse",
]

#: OpenAPI 3.0 schema of a scalar value: text, a number or a boolean.
SCALAR: dict[str, Any] = {
    "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}],
}


class Scalar(fields.Raw):
    """Text, a number or a boolean (an actor attribute, a group label); documented as such.

    marshmallow has no union field; the views send the values as computed, so this field only
    gives the OpenAPI document the ``oneOf`` of the three JSON scalar types.
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = {**SCALAR, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)


def number(description: str | None = None, required: bool = True) -> fields.Float:
    """A number that is null where the metric is undefined."""
    metadata = {"description": description} if description else {}
    return fields.Float(required=required, allow_none=True, metadata=metadata)


def count(description: str | None = None, required: bool = True) -> fields.Integer:
    metadata = {"description": description} if description else {}
    return fields.Integer(required=required, metadata=metadata)


def count_map(description: str, required: bool = True, allow_none: bool = False) -> fields.Dict:
    """{data key: whole number}."""
    return fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=required,
        allow_none=allow_none,
        metadata={"description": description},
    )


def number_map(description: str, required: bool = True) -> fields.Dict:
    """{data key: number or null}."""
    return fields.Dict(
        keys=fields.String(),
        values=fields.Float(allow_none=True),
        required=required,
        metadata={"description": description},
    )


def _matrix(values: fields.Field, description: str) -> fields.Dict:
    """{from group: {to group: value}}."""
    return fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=values),
        required=True,
        metadata={"description": description},
    )


def _keys(description: str, required: bool = True, allow_none: bool = False) -> fields.List:
    return fields.List(
        fields.String(),
        required=required,
        allow_none=allow_none,
        metadata={"description": description},
    )


# -- the network report: cohesion (docs/metrics.md §3) ---------------------------------------


class Components(Schema):
    weak_count = count("Weakly connected components (components on an undirected graph)")
    weak_sizes = fields.List(
        fields.Integer(), required=True, metadata={"description": "Largest first"}
    )
    strong_count = count("Strongly connected components (equals weak_count when undirected)")
    strong_sizes = fields.List(fields.Integer(), required=True)
    largest_component_share = number("Largest weak component / actors (null: no actors)")


class Centralization(Schema):
    degree = number("Freeman degree centralization (null for fewer than 3 actors)")
    in_degree = number("Directed graphs only (null otherwise)")
    out_degree = number("Directed graphs only (null otherwise)")
    betweenness = number("Freeman betweenness centralization (null for fewer than 3 actors)")


class Krackhardt(Schema):
    connectedness = number()
    hierarchy = number()
    efficiency = number()
    lubness = number()


class Cohesion(Schema):
    """Density, components, distances, clustering, centralization (docs/metrics.md §3)."""

    directed = fields.Boolean(required=True)
    actors = count()
    ties = count("Edges (arcs on a directed graph)")
    density = number("null for fewer than 2 actors")
    components = fields.Nested(Components, required=True)
    isolates = _keys("Actors without any tie")
    bridges = fields.List(
        fields.List(fields.String()),
        required=True,
        metadata={"description": "Ties whose removal splits a component: [actor, actor]"},
    )
    articulation_points = _keys("Cut points: actors whose departure splits a component")
    average_distance = number("Mean shortest path over reachable pairs")
    global_efficiency = number()
    reachable_share = number()
    diameter = fields.Integer(required=True, allow_none=True)
    transitivity = number()
    average_clustering_low_degree_as_zero = number("networkx convention")
    average_clustering_low_degree_excluded = number("igraph convention")
    degeneracy = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Largest k-core number"}
    )
    centralization = fields.Nested(Centralization, required=True)
    krackhardt = fields.Nested(Krackhardt, required=True)


# -- the network report: mixing (docs/metrics.md §4) -----------------------------------------


class EiIndex(Schema):
    network = number("E-I index of the whole network")
    groups = number_map("E-I index per group")
    actors = number_map("E-I index per actor (viewers: residents by pseudonym)")


class MixingMatrix(Schema):
    ties = _matrix(fields.Integer(), "Ties from group to group")
    possible = _matrix(fields.Integer(), "Possible ties from group to group")
    density = _matrix(fields.Float(allow_none=True), "ties / possible (null: none possible)")


class GroupReciprocity(Schema):
    arcs = _matrix(fields.Integer(), "Arcs from group to group")
    returned = _matrix(fields.Integer(), "Of those, returned")
    share = _matrix(fields.Float(allow_none=True), "returned / arcs (null: no arcs)")


class ContactInitiative(Schema):
    contacts = _matrix(fields.Integer(), "Contacts started by the first group")
    share_started = _matrix(
        fields.Float(allow_none=True), "Share of the pair's contacts the first group started"
    )


class FunderDependency(Schema):
    """Null members: no funding ties in the graph (only ``initiatives`` is filled in)."""

    initiatives = count()
    funded = fields.Integer(required=True, allow_none=True)
    unfunded = fields.Integer(required=True, allow_none=True)
    single_funder = fields.Integer(required=True, allow_none=True)
    single_funder_share = number("single_funder / funded")
    single_funder_initiatives = _keys("Initiatives with one funder", allow_none=True)
    funders_per_initiative = count_map("Funders of each initiative", allow_none=True)


class Mixing(Schema):
    """E-I index, mixing matrix, reciprocity, initiative of contact, funder dependency."""

    group_attribute = fields.String(required=True)
    directed = fields.Boolean(required=True)
    groups = _keys("Groups, sorted")
    group_sizes = count_map("Actors per group")
    ei_index = fields.Nested(EiIndex, required=True)
    mixing = fields.Nested(MixingMatrix, required=True)
    reciprocity = fields.Nested(GroupReciprocity, required=True)
    contact_initiative = fields.Nested(ContactInitiative, required=True)
    funder_dependency = fields.Nested(FunderDependency, required=True)
    assortativity = number()


# -- the scorecard (docs/metrics.md §7) --------------------------------------------------------


class TopBroker(Schema):
    key = fields.String(required=True, metadata={"description": "Viewers: a pseudonym"})
    kind = fields.String(required=True)
    total = count("Brokerage roles in all")


#: The value of a scorecard indicator: a number, a list of brokers (top_brokers) or null.
INDICATOR_VALUE: dict[str, Any] = {
    "oneOf": [
        {"type": "number"},
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string"},
                    "kind": {"type": "string"},
                    "total": {"type": "integer"},
                },
                "required": ["key", "kind", "total"],
            },
        },
    ],
    "description": "A number, the list of top brokers (top_brokers), or null when undefined",
}


class ScorecardIndicator(Schema):
    key = fields.String(required=True)
    value = fields.Raw(required=True, allow_none=True, metadata=INDICATOR_VALUE)
    signal = fields.String(
        required=True,
        metadata={"enum": ["attention", "ok", "none"], "description": "none: no value"},
    )
    explanation_nl = fields.String(required=True)
    explanation_en = fields.String(required=True)
    rule = fields.String(required=True, metadata={"description": f"The rule, or '{CONTEXT_ONLY}'"})


class ScorecardGroup(Schema):
    key = fields.String(required=True, metadata={"description": "The lesson"})
    title_nl = fields.String(required=True)
    title_en = fields.String(required=True)
    question_nl = fields.String(required=True)
    question_en = fields.String(required=True)
    indicators = fields.List(fields.Nested(ScorecardIndicator), required=True)


class Scorecard(Schema):
    """Groups of indicators (one per lesson), each with a value, signal and texts."""

    actors = count()
    groups = fields.List(fields.Nested(ScorecardGroup), required=True)


# -- changes: the actors (analysts) ----------------------------------------------------------


class RoleChange(Schema):
    key = fields.String(required=True)
    name = fields.String()
    kind = fields.String(required=True, allow_none=True)
    from_ = fields.String(
        required=True, allow_none=True, data_key="from", metadata={"enum": list(ROLES[:-1])}
    )
    to = fields.String(required=True, allow_none=True, metadata={"enum": list(ROLES[:-1])})
    total_from = count()
    total_to = count()


class ComponentChange(Schema):
    key = fields.String(required=True)
    name = fields.String()
    kind = fields.String()
    from_size = count()
    to_size = count()


class ActorChanges(Schema):
    """Analysts only: brokerage role and component changes."""

    brokerage_role_changed = fields.List(fields.Nested(RoleChange), required=True)
    component_changed = fields.List(fields.Nested(ComponentChange), required=True)


# -- the decision routes (docs/metrics.md §7-§10) ---------------------------------------------


class ActorRef(Schema):
    """An actor as the decision routes name it: residents by pseudonym and without key for
    viewers."""

    key = fields.String(
        required=True, allow_none=True, metadata={"description": "null: a resident, for viewers"}
    )
    kind = fields.String(required=True, allow_none=True)
    name_nl = fields.String(required=True)
    name_en = fields.String(required=True)


class SignalActor(ActorRef):
    """An actor behind a signal, with what the signal says about it."""

    map = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The map focused on this actor (null: a resident, for viewers)"},
    )
    sentence_nl = fields.String(required=True)
    sentence_en = fields.String(required=True)
    cut_off = fields.Integer(metadata={"description": "cut_points_share: actors cut off"})
    initiatives_lose_municipality = fields.List(
        fields.Nested(ActorRef), metadata={"description": "cut_points_share"}
    )
    initiatives_lose_funder = fields.List(
        fields.Nested(ActorRef), metadata={"description": "cut_points_share"}
    )
    funder = fields.Nested(ActorRef, metadata={"description": "single_funder_share"})
    officials = fields.List(
        fields.Nested(ActorRef), metadata={"description": "reciprocity_initiative_official"}
    )


Signals = Schema.from_dict(
    {key: fields.List(fields.Nested(SignalActor), required=True) for key in sorted(SIGNAL_ACTORS)},
    name="Signals",
)


class SignalsResponse(Schema):
    proeftuin = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "ISO date"})
    signals = fields.Nested(
        Signals, required=True, metadata={"description": "Per scorecard indicator its actors"}
    )


class BypassedPair(Schema):
    broker = fields.Nested(ActorRef, required=True)
    groups = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "the two groups (actor kinds) that hung on the broker"},
    )


class BrokerConstraint(Schema):
    broker = fields.Nested(ActorRef, required=True)
    before = fields.Float(
        required=True, allow_none=True, metadata={"description": "Burt's constraint"}
    )
    after = fields.Float(
        required=True, allow_none=True, metadata={"description": "Burt's constraint"}
    )


class IntroductionGain(Schema):
    initiatives_within_two_steps = fields.List(fields.Nested(ActorRef), required=True)
    cut_points_removed = fields.List(fields.Nested(ActorRef), required=True)
    isolates_connected = count()
    group_pairs_bypassed = fields.List(
        fields.Nested(BypassedPair),
        required=True,
        metadata={"description": "group pairs that hung on one broker and no longer do"},
    )
    second_path = fields.List(
        fields.Nested(ActorRef),
        required=True,
        metadata={"description": "actors of those pairs that get a path avoiding the broker"},
    )
    broker_constraint = fields.List(
        fields.Nested(BrokerConstraint),
        required=True,
        metadata={"description": "each bypassed broker's constraint before and after the tie"},
    )


class Introduction(Schema):
    rank = count()
    a = fields.Nested(ActorRef, required=True)
    b = fields.Nested(ActorRef, required=True)
    reason = fields.String(required=True)
    reason_nl = fields.String(required=True)
    reason_en = fields.String(required=True)
    introducers = fields.List(fields.Nested(ActorRef), required=True)
    gain = fields.Nested(IntroductionGain, required=True)
    score = count()


class IntroductionsResponse(Schema):
    proeftuin = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "ISO date"})
    introductions = fields.List(fields.Nested(Introduction), required=True)


class PairCounts(Schema):
    pairs = count("Pairs without a tie before the meeting")
    formed = count("Of those, pairs that formed a tie within the window")
    rate = number("formed / pairs (null: no pairs)")


class EffectTable(Schema):
    """The 2 x 2 table: co-attendees against the other pairs (docs/metrics.md §8)."""

    co_attending = fields.Nested(PairCounts, required=True)
    comparison = fields.Nested(PairCounts, required=True)
    rate_ratio = number()
    odds_ratio = number()
    p_value = number("Fisher's exact test, one-sided")


class NewTie(Schema):
    a = fields.Nested(ActorRef, required=True)
    b = fields.Nested(ActorRef, required=True)
    since = fields.String(required=True, metadata={"description": "ISO date"})


class MeetingEffect(EffectTable):
    key = fields.String(required=True)
    date = fields.String(required=True, metadata={"description": "ISO date"})
    title = fields.String(required=True)
    attendees = count()
    by_group_pair = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(EffectTable),
        required=True,
        metadata={"description": "The table per pair of kinds ('funder-initiative')"},
    )
    new_ties_count = count()
    new_ties = fields.List(fields.Nested(NewTie), metadata={"description": "Analysts only"})


class Permutation(Schema):
    p_value = number()
    permutations = count()
    seed = count()


class OverallEffect(EffectTable):
    permutation = fields.Nested(Permutation, required=True)


class MeetingEffectsResponse(Schema):
    proeftuin = fields.String(required=True)
    window_days = count()
    meetings = fields.List(fields.Nested(MeetingEffect), required=True)
    overall = fields.Nested(OverallEffect, required=True)


class MeetingEffectResponse(Schema):
    proeftuin = fields.String(required=True)
    window_days = count()
    meeting = fields.Nested(MeetingEffect, required=True)


class PhaseMeasures(Schema):
    actors = count()
    components = count()
    largest_share = number()
    degree_centralization = number()
    top_betweenness_share = number()
    second_hub_ratio = number()
    core_periphery_fit = number()
    core_share = number()
    hubs = count()
    clustering_ratio = number()


class Phase(Schema):
    date = fields.String(required=True, metadata={"description": "ISO date"})
    meeting = fields.String(
        required=True, allow_none=True, metadata={"description": "A meeting on this date"}
    )
    phase = fields.String(required=True, metadata={"enum": list(PHASES)})
    measures = fields.Nested(PhaseMeasures, required=True)


class PhaseThresholds(Schema):
    largest_share_below = fields.Float(required=True)
    degree_centralization_from = fields.Float(required=True)
    second_hub_ratio_at_most = fields.Float(required=True)
    top_betweenness_share_from = fields.Float(required=True)
    core_periphery_fit_from = fields.Float(required=True)
    core_share_at_most = fields.Float(required=True)


class PhasesResponse(Schema):
    proeftuin = fields.String(required=True)
    phases = fields.List(fields.Nested(Phase), required=True)
    thresholds = fields.Nested(PhaseThresholds, required=True)
