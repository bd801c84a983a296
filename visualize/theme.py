"""What a caller tells the renderer about its network: the input contract of :mod:`visualize`.

The renderer knows how to draw actors, ties and marks, and the words of the page itself
(:mod:`visualize.i18n`); it knows no domain.  Which kinds of actors and ties exist, what
they are called in each language, how each one looks, which brokerage roles there are and
how to explain them: the caller passes all of that as one :class:`MapTheme` of plain,
frozen dataclasses.  Every text is given in every language of :data:`visualize.i18n.LANGS`.

Example (nothing to do with any particular project)::

    theme = MapTheme(
        kinds=(
            ActorKind("cat", {"nl": "kat", "en": "cat"}, {"nl": "katten", "en": "cats"},
                      KindStyle(OKABE_ITO["orange"], "dot")),
        ),
        tie_types=(
            TieKind("chases", {"nl": "jaagt op", "en": "chases"},
                    {"nl": "{source} jaagt op {target}", "en": "{source} chases {target}"},
                    directed=True, style=TieStyle("#333333", 2.0, False)),
        ),
    )
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .style import SHAPES, KindStyle, TieStyle
from .ui_words import LANGS, UI

__all__ = ["Texts", "ActorKind", "TieKind", "BrokerRole", "MapTheme"]

#: One text in every language: ``{"nl": ..., "en": ...}``.
Texts = Mapping[str, str]


def _check_texts(value: object, what: str) -> None:
    """ValueError naming ``what`` unless ``value`` maps every language to a non-empty str."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{what}: expected a mapping of language to text, got {value!r}")
    missing = [lang for lang in LANGS if not isinstance(value.get(lang), str) or not value[lang]]
    if missing:
        raise ValueError(f"{what}: a text is required for language(s) {', '.join(missing)}")


def _check_key(key: object, what: str) -> None:
    if not isinstance(key, str) or not key:
        raise ValueError(f"{what}: the key must be a non-empty string, got {key!r}")


@dataclass(frozen=True)
class ActorKind:
    """A kind of actor: its key (as in the actors' ``kind``), labels and look.

    ``one`` names a single actor of the kind ("bewoner"), ``many`` the kind in the legend
    ("bewoners"); a ``group`` equal to a kind's key is shown as ``many``.

    ``minor`` marks a kind with many members whose names are drawn only when there is room
    (people, say): at "fit all" the page keeps the names of the other kinds readable and
    drops or moves a minor kind's name first when names would overlap.
    """

    key: str
    one: Texts
    many: Texts
    style: KindStyle
    minor: bool = False

    def __post_init__(self) -> None:
        _check_key(self.key, "actor kind")
        _check_texts(self.one, f"actor kind {self.key!r}: one")
        _check_texts(self.many, f"actor kind {self.key!r}: many")
        if self.style.shape not in SHAPES:
            raise ValueError(
                f"actor kind {self.key!r}: style.shape {self.style.shape!r} is not one of "
                f"{', '.join(SHAPES)}"
            )


@dataclass(frozen=True)
class TieKind:
    """A type of tie: its key (as in the ties' ``type``), label, sentence, direction and look.

    ``sentence`` reads a tie out loud, with ``{source}`` and ``{target}`` where the names go;
    a ``directed`` tie gets an arrow from source to target, an undirected one none.
    """

    key: str
    label: Texts
    sentence: Texts
    directed: bool
    style: TieStyle

    def __post_init__(self) -> None:
        _check_key(self.key, "tie type")
        _check_texts(self.label, f"tie type {self.key!r}: label")
        _check_texts(self.sentence, f"tie type {self.key!r}: sentence")
        for lang in LANGS:
            if "{source}" not in self.sentence[lang] or "{target}" not in self.sentence[lang]:
                raise ValueError(
                    f"tie type {self.key!r}: sentence[{lang!r}] must contain {{source}} "
                    "and {target}"
                )


@dataclass(frozen=True)
class BrokerRole:
    """A brokerage role an actor can play, as the tooltip and details panel explain it.

    ``headline`` names the role as the actor's main one ("Vooral poortwachter."),
    ``explanation`` says in plain words what that means; the page shows them one after
    the other for the role with the highest count.
    """

    key: str
    headline: Texts
    explanation: Texts

    def __post_init__(self) -> None:
        _check_key(self.key, "brokerage role")
        if self.key == "total":
            raise ValueError("brokerage role 'total' is the sum of the roles, not a role")
        _check_texts(self.headline, f"brokerage role {self.key!r}: headline")
        _check_texts(self.explanation, f"brokerage role {self.key!r}: explanation")


@dataclass(frozen=True)
class MapTheme:
    """Everything domain-specific a map shows: kinds, tie types, roles and the caller's words.

    Attributes
    ----------
    kinds : actor kinds, in legend order
    tie_types : tie types, in legend order
    roles : brokerage roles, in the order used to break equal counts; empty when the
        actors' metrics carry no brokerage roles
    texts : ``{lang: {word key: text}}``: page words (keys of :data:`visualize.i18n.UI`)
        that replace the renderer's generic ones, such as who may see real names
    """

    kinds: tuple[ActorKind, ...]
    tie_types: tuple[TieKind, ...]
    roles: tuple[BrokerRole, ...] = ()
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    _by_key: dict[str, dict[str, object]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for what, items in (("kinds", self.kinds), ("tie_types", self.tie_types)):
            keys = [item.key for item in items]
            if not keys:
                raise ValueError(f"MapTheme.{what}: at least one is required")
            if len(set(keys)) != len(keys):
                raise ValueError(f"MapTheme.{what}: keys must be unique, got {keys}")
        roles = [role.key for role in self.roles]
        if len(set(roles)) != len(roles):
            raise ValueError(f"MapTheme.roles: keys must be unique, got {roles}")
        for lang, words in self.texts.items():
            if lang not in LANGS:
                raise ValueError(f"MapTheme.texts: unknown language {lang!r}")
            for key, text in words.items():
                if key not in UI[lang]:
                    raise ValueError(f"MapTheme.texts[{lang!r}]: unknown word {key!r}")
                if not isinstance(text, str) or not text:
                    raise ValueError(f"MapTheme.texts[{lang!r}][{key!r}]: a text is required")
        self._by_key["kinds"] = {kind.key: kind for kind in self.kinds}
        self._by_key["ties"] = {tie.key: tie for tie in self.tie_types}
        self._by_key["roles"] = {role.key: role for role in self.roles}

    @property
    def kind_keys(self) -> tuple[str, ...]:
        return tuple(kind.key for kind in self.kinds)

    @property
    def tie_type_keys(self) -> tuple[str, ...]:
        return tuple(tie.key for tie in self.tie_types)

    @property
    def role_keys(self) -> tuple[str, ...]:
        return tuple(role.key for role in self.roles)

    def kind(self, key: str) -> ActorKind:
        """The kind ``key``; ValueError naming the known kinds for any other."""
        kind = self._by_key["kinds"].get(key)
        if isinstance(kind, ActorKind):
            return kind
        raise ValueError(f"unknown actor kind {key!r}; expected one of {', '.join(self.kind_keys)}")

    def tie_type(self, key: str) -> TieKind:
        """The tie type ``key``; ValueError naming the known types for any other."""
        tie = self._by_key["ties"].get(key)
        if isinstance(tie, TieKind):
            return tie
        raise ValueError(
            f"unknown tie type {key!r}; expected one of {', '.join(self.tie_type_keys)}"
        )

    def role(self, key: str) -> BrokerRole:
        """The brokerage role ``key``; ValueError for any other."""
        role = self._by_key["roles"].get(key)
        if isinstance(role, BrokerRole):
            return role
        raise ValueError(f"unknown brokerage role {key!r}")
