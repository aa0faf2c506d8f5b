"""Domain knowledge loaded from the data files in ``src/imsskg/lang/data``.

>>> gaz = load_gazetteer()
>>> gaz.states["21"].name
'Puebla'
>>> "zoe" in gaz.given_names
True
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.resources import files

from imsskg.lang.text import fold
from imsskg.model import EntityType


@dataclass(frozen=True)
class Known:
    """An entity the tool knows before reading: a state, city, organization or program."""

    key: str
    type: EntityType
    name: str
    aliases: tuple[str, ...]
    wikidata: str | None = None
    parent: str | None = None
    state: str | None = None
    inegi: str | None = None
    iso: str | None = None
    ambiguity: str = ""
    #: the title of whoever heads it ("director general" for the IMSS)
    head: str | None = None
    #: it runs medical units (the IMSS, the ISSSTE, IMSS-Bienestar…)
    runs_units: bool = False
    #: a program with units of its own in the states that join it (IMSS-Bienestar and its forerunners)
    territorial: bool = False


@dataclass(frozen=True)
class UnitType:
    """A kind of medical unit ("Hospital General de Zona", acronym "HGZ")."""

    name: str
    acronym: str
    plural: str


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Everything in ``src/imsskg/lang/data``, indexed for the rules."""

    states: dict[str, Known]
    known: tuple[Known, ...]
    unit_types: tuple[UnitType, ...]
    posts: tuple[tuple[str, str], ...]
    #: the body a post heads, by masculine post ("secretario" → "Secretaría")
    post_bodies: dict[str, str]
    #: prior confidence of each extraction rule
    rule_confidence: dict[str, float]
    given_names: frozenset[str]
    by_key: dict[str, Known] = field(default_factory=dict)

    def state_by_name(self, name: str) -> Known | None:
        """The state one of whose variants is ``name`` (accents and case ignored)."""
        return self.state_names.get(fold(name))

    @cached_property
    def state_names(self) -> dict[str, Known]:
        """States by each of their folded variants."""
        return {fold(a): s for s in self.states.values() for a in s.aliases}


def _data(name: str) -> str:
    return files("imsskg.lang").joinpath("data", name).read_text(encoding="utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_data(name).splitlines()))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load and index the data files once per process."""
    states = {
        r["inegi_code"]: Known(
            key=f"state/{r['inegi_code']}",
            type="State",
            name=r["label"],
            aliases=tuple(r["variants"].split("|")),
            wikidata=r["wikidata"] or None,
            inegi=r["inegi_code"],
            iso=r["iso_3166_2"],
            ambiguity=r["ambiguity"],
        )
        for r in _rows("states.csv")
    }
    known: list[Known] = list(states.values())
    for r in _rows("cities.csv"):
        known.append(
            Known(
                key=f"city/{_city_slug(r['name'])}",
                type="City",
                name=r["name"],
                aliases=(r["name"],),
                state=r["state"],
                ambiguity=r["ambiguity"],
            )
        )
    for filename in ("organizations.jsonl", "programs.jsonl"):
        for line in _data(filename).splitlines():
            if line.strip():
                obj = json.loads(line)
                prefix = "org" if obj["type"] == "Organization" else "program"
                known.append(
                    Known(
                        key=f"{prefix}/{obj['key']}",
                        type=obj["type"],
                        name=obj["name"],
                        aliases=tuple(dict.fromkeys([obj["name"], *obj.get("aliases", [])])),
                        wikidata=obj.get("wikidata"),
                        parent=f"org/{obj['parent']}" if obj.get("parent") else None,
                        head=obj.get("head"),
                        runs_units=bool(obj.get("runs_units")),
                        territorial=bool(obj.get("territorial")),
                    )
                )
    units = tuple(UnitType(r["name"], r["acronym"], r["plural"]) for r in _rows("unit_types.csv"))
    post_rows = _rows("posts.csv")
    posts = tuple((r["head"], r["feminine"]) for r in post_rows)
    bodies = {r["head"]: r["body"] for r in post_rows if r["body"]}
    given = frozenset(
        fold(line.strip())
        for line in _data("given_names.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )
    by_key: dict[str, Known] = {}
    for k in known:
        by_key.setdefault(k.key, k)
    confidence = {r["rule"]: float(r["confidence"]) for r in _rows("rules.csv")}
    return Gazetteer(states, tuple(known), units, posts, bodies, confidence, given, by_key)


def _city_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
