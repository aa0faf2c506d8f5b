"""The JSON Lines extraction report (one object per document), as ``score.py`` reads it.

>>> from imsskg.read import parse_document
>>> from imsskg.extract.pipeline import load_pipeline, extract
>>> doc = parse_document("Avanza IMSS-Bienestar en Puebla.", source="a.txt", data=b"", encoding="utf-8")
>>> line = next(iter(report([*extract([doc], load_pipeline("none"))])))
>>> [e["name"] for e in line["entities"]], line["relations"][0]["predicate"]
(['IMSS-Bienestar', 'Puebla'], 'operatesIn')
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from imsskg.graph.iri import mint
from imsskg.model import Extraction
from imsskg.resolve import resolve


def report(extractions: Sequence[Extraction]) -> Iterator[dict[str, Any]]:
    """One report object per document, with corpus-wide IRIs and preferred names."""
    resolved = resolve(extractions)
    for x in extractions:
        entities = [
            {
                "id": str(mint(e.key)),
                "type": e.type,
                "name": resolved[e.key].name,
                "mentions": sorted({m.text for m in e.mentions}),
            }
            for e in x.entities
        ]
        relations: list[dict[str, Any]] = []
        for r in x.relations:
            item: dict[str, Any] = {"subject": str(mint(r.subject)), "predicate": r.predicate}
            if r.predicate == "holdsPost":
                item["object"] = r.obj
                item["organization"] = str(mint(r.organization)) if r.organization else None
            else:
                item["object"] = str(mint(r.obj))
            item["evidence"] = x.sentence(r).strip()
            relations.append(item)
        amounts = [
            {
                "text": a.text,
                "value": int(a.value) if a.value == a.value.to_integral_value() else float(a.value),
                "unit": a.unit,
                "about": str(mint(a.about)) if a.about else None,
                "kind": a.kind,
            }
            for a in x.amounts
        ]
        date = x.document.date
        yield {
            "doc": x.document.source,
            "date": date.isoformat() if date else None,
            "entities": entities,
            "relations": relations,
            "amounts": amounts,
        }
