"""A corpus for benchmarks: the sample press releases with the people renamed per copy, so
that entity counts grow with the number of documents."""

from __future__ import annotations

import random
from pathlib import Path

from imsskg.extract.pipeline import extract, load_pipeline

from imsskg._build import read_all

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Ana", "Luis", "María", "Jorge", "Rosa", "Pedro", "Elena", "Raúl", "Carmen", "Javier", "Lucía", "Andrés"]
SURNAMES = ["Ortega", "Salinas", "Mendoza", "Cruz", "Beltrán", "Navarro", "Campos", "Ríos", "Fuentes", "Lara", "Vega"]


def make_corpus(folder: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write ``n`` documents: the sample texts with every person renamed per copy."""
    rng = random.Random(seed)
    nlp = load_pipeline("none")
    samples = list(read_all([ROOT / "corpus"], []))
    people = {
        x.document.doc_id: sorted(
            {m.text for e in x.entities if e.type == "Person" for m in e.mentions}, key=len, reverse=True
        )
        for x in extract(samples, nlp)
    }
    paths = []
    for i in range(n):
        sample = samples[i % len(samples)]
        text = sample.text
        for name in people[sample.doc_id]:
            new = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
            text = text.replace(name, new.upper() if name.isupper() else new)
        path = folder / f"{i:06d}_{sample.doc_id}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
