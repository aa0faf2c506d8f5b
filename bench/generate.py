"""Write N synthetic bulletins, seeded and deterministic, by recombining the sentence shapes of
the domain with varied officials, units, places, dates and amounts, so that the number of
entities grows with N as in a real archive.

    python bench/generate.py OUT_DIR --docs 1000 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
from importlib.resources import files
from pathlib import Path

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre"]  # fmt: skip
GIVEN = ["Ana", "Luis", "María", "Jorge", "Rosa", "Pedro", "Elena", "Raúl", "Carmen", "Javier", "Lucía", "Andrés",
         "Gabriela", "Héctor", "Patricia", "Sergio", "Verónica", "Arturo", "Mónica", "Fernando", "Adriana", "Ricardo",
         "Claudia", "Manuel", "Silvia", "Roberto", "Teresa", "Alejandro", "Laura", "Eduardo"]  # fmt: skip
SURNAMES = ["Ortega", "Salinas", "Mendoza", "Cruz", "Beltrán", "Navarro", "Campos", "Ríos", "Fuentes", "Lara", "Vega",
            "Aguilar", "Cortés", "Domínguez", "Escobar", "Flores", "Gallardo", "Herrera", "Ibarra", "Juárez", "Luna",
            "Medina", "Núñez", "Olvera", "Pacheco", "Quiroz", "Rosales", "Sandoval", "Téllez", "Valdez", "Zamora",
            "Bautista", "Carrillo", "Delgado", "Esquivel", "Figueroa", "Guerra", "Hinojosa", "Islas",
            "Jaramillo"]  # fmt: skip
INSTITUTES = [("IMSS", "Instituto Mexicano del Seguro Social"), ("ISSSTE",
              "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado")]  # fmt: skip
UNITS = [("Hospital General de Zona", "HGZ"), ("Unidad de Medicina Familiar", "UMF"),
         ("Hospital General Regional", "HGR"), ("Hospital General de Subzona", "HGSZ")]  # fmt: skip
PROGRAMS = ["IMSS-Bienestar", "PrevenIMSS", "IMSS Digital", "Código Infarto", "Receta Resurtible"]
POSTS = [("director", "directora"), ("coordinador", "coordinadora"), ("delegado", "delegada"), ("titular", "titular")]


def _cities() -> list[tuple[str, str]]:
    data = files("imsskg.lang").joinpath("data", "cities.csv").read_text(encoding="utf-8")
    states = files("imsskg.lang").joinpath("data", "states.csv").read_text(encoding="utf-8")
    label = {r["inegi_code"]: r["label"] for r in csv.DictReader(states.splitlines())}
    return [(r["name"], label[r["state"]]) for r in csv.DictReader(data.splitlines()) if not r["ambiguity"]]


def person(rng: random.Random) -> tuple[str, bool]:
    """A name and whether it is a woman's (for the post's gender)."""
    first = rng.choice(GIVEN)
    return f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}", first.endswith("a") or first in {"Carmen", "Rosa"}


def bulletin(rng: random.Random, number: int, cities: list[tuple[str, str]]) -> str:
    """One press release of several paragraphs."""
    year = rng.randint(2015, 2025)
    date = f"{rng.randint(1, 28)} de {rng.choice(MONTHS)} de {year}"
    acronym, institute = rng.choice(INSTITUTES)
    city, state = rng.choice(cities)
    unit, unit_acronym = rng.choice(UNITS)
    unit_number = rng.randint(1, 250)
    head, head_woman = person(rng)
    local, local_woman = person(rng)
    post = rng.choice(POSTS)[local_woman]
    governor, governor_woman = person(rng)
    program = rng.choice(PROGRAMS)
    other_city, other_state = rng.choice(cities)
    millions = rng.randint(10, 900)
    count = rng.randint(1000, 900_000)
    thousands, rest = divmod(count, 1000)
    paragraphs = [
        f"Ciudad de México, a {date}.\nNo. {number % 900 + 1}/{year}.",
        f"Inaugura {acronym} {unit} en {city}",
        f"· La nueva unidad atenderá a más de {thousands} mil {rest} derechohabientes.",
        f"{'La directora' if head_woman else 'El director'} general del {institute} ({acronym}), {head}, inauguró "
        f"{'la' if unit.startswith('Unidad') else 'el'} {unit} ({unit_acronym}) No. {unit_number} de {city}, "
        f"{state}, en la que se invirtieron {millions} millones de pesos.",
        f"Acompañado por {'la gobernadora' if governor_woman else 'el gobernador'} de {state}, {governor}, "
        f"{head.split()[1]} {head.split()[2]} destacó que la unidad cuenta con {rng.randint(10, 120)} camas censables.",
        f"{'La' if local_woman else 'El'} {post} del {acronym} en {state}, {local}, informó que el programa "
        f"{program} opera en {state} y en {other_state}.",
        f"En un día típico, la unidad otorgará {rng.randint(100, 999)} consultas "
        f"y atenderá {rng.randint(5, 90)} partos.",
        f"Además, el {acronym} anunció la remodelación del {unit_acronym} No. {rng.randint(1, 250)} en {other_city}, "
        f"{other_state}, con una inversión de {rng.randint(5, 400)} millones de pesos.",
    ]
    return "\n\n".join(paragraphs) + "\n"


def generate(out: Path, docs: int, *, seed: int = 7, start: int = 0) -> list[Path]:
    """Write documents ``start`` .. ``start + docs - 1`` of the seeded series into ``out``."""
    cities = _cities()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + docs):
        rng = random.Random(f"{seed}-{i}")  # each document depends on the seed and its number only
        path = out / f"boletin-{i:06d}.txt"
        path.write_text(bulletin(rng, i, cities), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args()
    generate(args.out, args.docs, seed=args.seed, start=args.start)


if __name__ == "__main__":
    main()
