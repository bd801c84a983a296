"""The four tables of the file contract and their columns (docs/architecture.md §5)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TableSpec", "TABLES", "SPECS", "spec_for_header"]

TABLES = ("actors", "ties", "meetings", "attendance")


@dataclass(frozen=True)
class TableSpec:
    """The fixed columns of one table; any other column is an attribute."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # other header -> column
    has_attributes: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def canonical(self, header: str) -> str | None:
        """The fixed column a header names (trimmed, case-insensitive), else None."""
        name = header.strip().casefold()
        if name in self.columns:
            return name
        return self.aliases.get(name)

    def reserved(self, name: str) -> bool:
        """True when an attribute called ``name`` would be read back as a fixed column."""
        return self.canonical(name) is not None

    def expected(self, lang: str) -> str:
        """The columns for a message: required ones, then the optional ones."""
        text = ", ".join(self.required)
        if self.optional:
            text += f"; {'optioneel' if lang == 'nl' else 'optional'}: " + ", ".join(self.optional)
        return text


SPECS: dict[str, TableSpec] = {
    "actors": TableSpec(
        "actors", ("key", "kind", "name"), ("proeftuin",), {"proeftuinen": "proeftuin"}
    ),
    "ties": TableSpec(
        "ties", ("source", "target", "type", "since"), ("until", "weight", "provenance")
    ),
    "meetings": TableSpec("meetings", ("key", "date", "title"), ("proeftuin",)),
    "attendance": TableSpec("attendance", ("meeting", "actor"), (), has_attributes=False),
}


def spec_for_header(headers: list[str]) -> TableSpec | None:
    """The one table whose required columns all appear in ``headers``, if exactly one."""
    matches = [
        spec
        for spec in SPECS.values()
        if all(any(spec.canonical(h) == col for h in headers) for col in spec.required)
    ]
    return matches[0] if len(matches) == 1 else None
