"""Generate the demo data: eight fictional proeftuinen in the import format.

Run ``python seeds/generate.py`` to rewrite the files under ``seeds/``; the seed is
fixed, so the output is the same every time.  Every person, organisation, fund,
place and tie is made up.

What the data is built to show (see the seeds README):
- sizes from about 30 to 300 actors, all five kinds in every proeftuin;
- national funds shared by several proeftuinen (they connect the national network);
- ties of every type with dates from November 2022 to November 2024, many created
  shortly after a meeting, some ended (``until``);
- a few isolates; ``zandwijk`` hangs on a single broker; ``molenbeek`` is dense;
- residents with names such as Çelik, Ünal, José and Anne-Marie 't Hart.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from graphsvc.dataset import Actor, Attendance, Dataset, Meeting, Tie
from graphsvc.transfer.fileformats import write_csv

SEED = 20221101
START = dt.date(2022, 11, 1)
END = dt.date(2024, 11, 30)
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    municipality: str
    residents: int
    initiatives: int
    officials: int
    organisations: int
    national_funds: tuple[str, ...]
    density: float  # scales the chance of a tie
    single_broker: bool = False
    isolates: int = 2


SITES = (
    Site("lindehoven", "Lindehoven-Oost", "Lindehoven", 70, 12, 8, 8, ("FGG", "SBK"), 1.0),
    Site(
        "brakelveen",
        "Brakelveen",
        "Brakelland",
        200,
        30,
        20,
        25,
        ("FGG", "SBK", "FNH"),
        0.7,
        isolates=4,
    ),
    Site(
        "zandwijk",
        "Zandwijk",
        "Zandwijk aan de Vliet",
        16,
        4,
        4,
        3,
        ("FNH",),
        0.9,
        single_broker=True,
        isolates=1,
    ),
    Site("molenbeek", "Molenbeek-Noord", "Molenwaarde", 24, 6, 5, 5, ("SBK",), 3.2, isolates=0),
    Site("hoogeland", "Het Hoogeland", "Hoogeland", 130, 20, 14, 16, ("FGG", "FNH"), 0.8),
    Site("waterkant", "De Waterkant", "Waterstad", 50, 9, 7, 7, ("SBK", "FNH"), 1.1),
    Site("kerkdorp", "Kerkdorp", "Kerkdorpen", 36, 7, 5, 5, ("FGG",), 1.0, isolates=5),
    Site("heidebuurt", "De Heidebuurt", "Heiderveld", 95, 15, 10, 12, ("FGG", "SBK", "FNH"), 0.9),
)

NATIONAL_FUNDS = {
    "FGG": "Fonds Gedeelde Grond",
    "SBK": "Stichting Buurtkapitaal",
    "FNH": "Fonds Nabijheid",
}

FIRST = (
    "Anna",
    "Bram",
    "Fatima",
    "Mohamed",
    "Sanne",
    "Daan",
    "Yusuf",
    "Eva",
    "Noah",
    "Lotte",
    "Aylin",
    "Emre",
    "Sofie",
    "Jesse",
    "Mila",
    "Kofi",
    "Priya",
    "Tomasz",
    "Ineke",
    "Henk",
    "Mirjam",
    "Rachid",
    "Linh",
    "Joost",
    "Esra",
    "Bas",
    "Naima",
    "Wim",
    "Grietje",
    "Soufiane",
    "José",
    "Anne-Marie",
    "Marloes",
    "Ruud",
    "Hatice",
    "Dewi",
    "Olga",
    "Pieter",
    "Zeynep",
    "Kees",
)
LAST = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "van Dijk",
    "Yılmaz",
    "Çelik",
    "Ünal",
    "El Amrani",
    "Bouzid",
    "Nguyen",
    "Kowalski",
    "Pinas",
    "Sedney",
    "'t Hart",
    "van der Berg",
    "Kramer",
    "Hoekstra",
    "Veenstra",
    "Doğan",
    "Koster",
    "Verhoeven",
    "Prins",
    "Postma",
)
THEMES = ("groen", "ontmoeting", "zorg", "jongeren", "energie", "voedsel", "cultuur", "sport")
INITIATIVE_NAMES = (
    "Buurttuin",
    "Huiskamer",
    "Repair Café",
    "Speeltuinvereniging",
    "Energiecoöperatie",
    "Voedselbank",
    "Wijkkrant",
    "Buurtsportclub",
    "Taalcafé",
    "Kookclub",
    "Zorgcoöperatie",
    "Jongerenplek",
    "Bibliotheekhoek",
    "Klussendienst",
    "Moestuin",
    "Burenhulp",
)
ORG_NAMES = (
    "Welzijn",
    "Woningcorporatie",
    "Bibliotheek",
    "Basisschool",
    "Huisartsenpraktijk",
    "Sportvereniging",
    "Kerk",
    "Moskee",
    "Wijkteam",
    "Buurthuis",
    "Ondernemersvereniging",
    "Zorginstelling",
    "Scouting",
    "Muziekschool",
)
OFFICIAL_ROLES = (
    "wijkregisseur",
    "beleidsmedewerker",
    "ambtenaar subsidies",
    "wethouder",
    "gebiedsmakelaar",
    "opbouwwerker gemeente",
)
PROVENANCE = ("enquête", "interview", "bijeenkomst", "registratie")


def _date(rng: random.Random, start: dt.date = START, end: dt.date = END) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class SiteBuilder:
    """Builds one proeftuin's dataset."""

    def __init__(self, site: Site, rng: random.Random, used_names: set[str]) -> None:
        self.site = site
        self.rng = rng
        self.used_names = used_names
        self.actors: list[Actor] = []
        self.ties: dict[tuple, Tie] = {}
        self.by_kind: dict[str, list[str]] = {}
        self.meetings: list[Meeting] = []
        self.attendance: list[Attendance] = []

    # -- actors ------------------------------------------------------------

    def _add(self, key: str, kind: str, name: str, **attributes) -> str:
        proeftuinen = (self.site.key,)
        self.actors.append(
            Actor(
                key, kind, name, proeftuinen, {k: v for k, v in attributes.items() if v is not None}
            )
        )
        self.by_kind.setdefault(kind, []).append(key)
        return key

    def _person_name(self) -> str:
        for _ in range(1000):
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of fictional names")

    def actors_(self) -> None:
        s, rng, p = self.site, self.rng, self.site.key
        hoods = [f"{s.name} {suffix}" for suffix in ("Noord", "Zuid", "Centrum", "West")]
        for i in range(1, s.residents + 1):
            self._add(
                f"{p}-r{i:03d}",
                "resident",
                self._person_name(),
                neighbourhood=rng.choice(hoods),
                age_group=rng.choice(("18-30", "31-50", "51-65", "65+")),
            )
        for i in range(1, s.initiatives + 1):
            base = INITIATIVE_NAMES[(i - 1) % len(INITIATIVE_NAMES)]
            self._add(
                f"{p}-i{i:02d}",
                "initiative",
                f"{base} {s.name}" + (f" {i}" if i > len(INITIATIVE_NAMES) else ""),
                theme=rng.choice(THEMES),
                neighbourhood=rng.choice(hoods),
            )
        for i in range(1, s.officials + 1):
            self._add(
                f"{p}-g{i:02d}",
                "official",
                self._person_name(),
                organisation=f"Gemeente {s.municipality}",
                role=OFFICIAL_ROLES[(i - 1) % len(OFFICIAL_ROLES)],
            )
        for i in range(1, s.organisations + 1):
            base = ORG_NAMES[(i - 1) % len(ORG_NAMES)]
            self._add(
                f"{p}-o{i:02d}",
                "organisation",
                f"{base} {s.name}" + (f" {i}" if i > len(ORG_NAMES) else ""),
                sector=base.lower(),
            )
        for code in s.national_funds:
            # The same key, kind and name in every proeftuin: one national actor.
            self._add(f"fonds-{code.lower()}", "funder", NATIONAL_FUNDS[code], scope="national")
        self._add(f"{p}-f01", "funder", f"Buurtfonds {s.municipality}", scope="local")

    # -- ties --------------------------------------------------------------

    def _tie(
        self,
        source: str,
        target: str,
        type_: str,
        since: dt.date | None = None,
        weight: float = 1.0,
    ) -> None:
        if source == target:
            return
        rng = self.rng
        since = since or _date(rng)
        until = None
        if rng.random() < 0.08:
            until = since + dt.timedelta(days=rng.randrange(60, 400))
            if until > END:
                until = None
        tie = Tie(source, target, type_, since, until, weight, rng.choice(PROVENANCE)).normalised()
        key = (tie.source, tie.target, tie.type)
        if key not in self.ties:
            self.ties[key] = tie

    def _chance(self, base: float) -> bool:
        return self.rng.random() < min(0.95, base * self.site.density)

    def ties_(self) -> None:
        s, rng = self.site, self.rng
        k = self.by_kind
        residents = list(k["resident"])
        isolated = set(rng.sample(residents, s.isolates)) if s.isolates else set()
        active = [r for r in residents if r not in isolated]
        initiatives, officials = k["initiative"], k["official"]
        orgs, funders = k["organisation"], k["funder"]
        broker = orgs[0] if s.single_broker else None

        # Membership: residents in one or two initiatives; members know each other.
        members: dict[str, list[str]] = {i: [] for i in initiatives}
        for r in active:
            for ini in rng.sample(initiatives, rng.choice((0, 1, 1, 1, 2))):
                members[ini].append(r)
                self._tie(r, ini, "member_of")
        for group in members.values():
            for a in group:
                for b in group:
                    if a < b and self._chance(0.35):
                        self._tie(a, b, "knows")
        # Neighbours know each other a little.
        for a in active:
            for _ in range(rng.choice((0, 1, 1, 2))):
                b = rng.choice(active)
                if self._chance(0.5):
                    self._tie(a, b, "knows")
        # Initiatives collaborate with each other and with partner organisations.
        for a in initiatives:
            for b in initiatives:
                if a < b and self._chance(0.12):
                    self._tie(a, b, "collaborates")
            for o in orgs:
                if o != broker and self._chance(0.15):
                    self._tie(a, o, "collaborates")
                    if self._chance(0.3):
                        self._tie(o, a, "supports")
        if s.single_broker:
            self._single_broker_ties(broker, initiatives, officials, funders, members)
            return
        # Contact between initiatives and the municipality: mostly started by initiatives.
        for ini in initiatives:
            for g in officials:
                if self._chance(0.25):
                    self._tie(ini, g, "contacts")
                if self._chance(0.08):
                    self._tie(g, ini, "contacts")
                if self._chance(0.12):
                    self._tie(g, ini, "advises")
            for r in members[ini][:2]:
                if self._chance(0.3):
                    self._tie(r, rng.choice(officials), "contacts")
        # Officials know each other and the partner organisations.
        for a in officials:
            for b in officials:
                if a < b and self._chance(0.4):
                    self._tie(a, b, "collaborates")
            for o in orgs:
                if self._chance(0.15):
                    self._tie(a, o, "knows")
        # Funding: most initiatives funded, several by one funder only.
        for ini in initiatives:
            n = rng.choice((0, 1, 1, 1, 2, 2, 3))
            for f in rng.sample(funders, min(n, len(funders))):
                self._tie(f, ini, "funds", weight=float(rng.choice((1, 1, 2, 3))))
                if self._chance(0.2):
                    self._tie(ini, f, "contacts")
        for f in funders:
            if self._chance(0.5):
                self._tie(f, rng.choice(officials), "collaborates")

    def _single_broker_ties(self, broker, initiatives, officials, funders, members) -> None:
        """Residents and initiatives reach the municipality and funds only through one broker."""
        rng = self.rng
        for ini in initiatives:
            self._tie(ini, broker, "contacts")
            self._tie(broker, ini, "supports")
        for r in rng.sample(self.by_kind["resident"], 3):
            self._tie(r, broker, "knows")
        for g in officials:
            self._tie(broker, g, "contacts")
            for h in officials:
                if g < h:
                    self._tie(g, h, "collaborates")
        for f in funders:
            self._tie(broker, f, "contacts")
            self._tie(f, rng.choice(officials), "collaborates")
        self._tie(funders[-1], broker, "funds", weight=2.0)

    # -- meetings ------------------------------------------------------------

    def meetings_(self) -> None:
        s, rng = self.site, self.rng
        n = 3 + min(5, (s.residents + s.initiatives) // 40)
        everyone = [a.key for a in self.actors]
        for i in range(1, n + 1):
            date = _date(rng, START, END - dt.timedelta(days=30))
            key = f"{s.key}-m{i:02d}"
            title = rng.choice(
                (
                    "Buurttafel",
                    "Wijkgesprek",
                    "Fondsenmarkt",
                    "Bewonersavond",
                    "Netwerkbijeenkomst",
                    "Samenwerkingsatelier",
                )
            )
            self.meetings.append(
                Meeting(key, date, f"{title} {s.name}", s.key, {"place": f"Buurthuis {s.name}"})
            )
            size = min(len(everyone), rng.randrange(6, 12 + len(everyone) // 6))
            present = rng.sample(everyone, size)
            self.attendance += [Attendance(key, a) for a in present]
            # Meetings build new cross-sector ties shortly afterwards (lesson 1).
            for _ in range(max(1, size // 5)):
                a, b = rng.sample(present, 2)
                kinds = {self._kind(a), self._kind(b)}
                if len(kinds) == 2 and "resident" not in kinds or self._chance(0.2):
                    self._tie(a, b, "knows", since=date + dt.timedelta(days=rng.randrange(1, 21)))

    def _kind(self, key: str) -> str:
        for kind, keys in self.by_kind.items():
            if key in keys:
                return kind
        raise KeyError(key)

    def build(self) -> Dataset:
        self.actors_()
        self.ties_()
        self.meetings_()
        return Dataset(
            self.actors, list(self.ties.values()), self.meetings, self.attendance
        ).sorted()


def build_all(seed: int = SEED) -> dict[str, Dataset]:
    rng = random.Random(seed)
    used: set[str] = {"Çelik", "Ünal"}
    out = {}
    for site in SITES:
        out[site.key] = SiteBuilder(site, rng, used).build()
    _ensure_demo_names(out)
    return out


def _ensure_demo_names(out: dict[str, Dataset]) -> None:
    """Make sure the names a facilitator's guide (and the tests) search for exist."""
    wanted = {
        "lindehoven-r001": "Ayşe Çelik",
        "lindehoven-r002": "Emre Ünal",
        "lindehoven-r003": "José Martins",
        "lindehoven-r004": "Anne-Marie 't Hart",
    }
    ds = out["lindehoven"]
    ds.actors = [
        Actor(a.key, a.kind, wanted.get(a.key, a.name), a.proeftuinen, a.attributes)
        for a in ds.actors
    ]


def write_all(root: Path = HERE) -> None:
    lines = ["key,name,municipality"]
    for site in SITES:
        lines.append(f"{site.key},{site.name},{site.municipality}")
        folder = root / site.key
        folder.mkdir(exist_ok=True)
    (root / "proeftuinen.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for key, ds in build_all().items():
        for filename, data in write_csv(ds).items():
            (root / key / filename).write_bytes(data)
        print(
            f"{key:12} {len(ds.actors):4d} actors {len(ds.ties):5d} ties "
            f"{len(ds.meetings):2d} meetings {len(ds.attendance):4d} attendances"
        )


if __name__ == "__main__":
    write_all()
