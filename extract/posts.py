"""Recognise posts ("directora general de la UMAE ...", "jefa de Gobierno de la Ciudad de México").

>>> post = find_posts("la jefa de Gobierno de la Ciudad de México, Clara Brugada")[0]
>>> post.head, post.text
('jefa de Gobierno', 'jefa de Gobierno de la Ciudad de México')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import NAME, squash

_MODIFIERS = (
    r"(?: +(?:general|adjunt[oa]|interin[oa]|nacional|estatal|regional|ejecutiv[oa]|municipal|federal|normativ[oa]))*"
)
#: "de la Comisión Nacional para el Desarrollo de los Pueblos Indígenas (CDI)", "de la entidad"
_COMPLEMENT = (
    rf"(?: +(?:de|del|de +la|de +los|de +las|en) +(?:la +|el +)?"
    rf"(?:{NAME}(?: +para +(?:el|la|los|las) +{NAME})?|entidad|estado|República)(?: +\([A-Z][A-Za-z-]{{1,14}}\))?)"
)
#: "secretaria de Salud estatal", "gobernador electo": a qualifier after the complement
_QUALIFIER = (
    r"(?: +(?:estatal|federal|municipal|nacional|capitalin[oa]|local|interin[oa]|saliente|entrante|electo|electa))?"
)


@dataclass(frozen=True, slots=True)
class Post:
    """A post phrase: its head ("director general") and where its complement starts."""

    head: str
    text: str
    start: int
    end: int
    complement_start: int | None


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    heads = {h for pair in load_gazetteer().posts for h in pair}
    alternatives = "|".join(re.escape(h).replace(r"\ ", " +") for h in sorted(heads, key=len, reverse=True))
    # the head in any case ("Director General"), the complement a proper name
    return re.compile(
        rf"(?<![\w])(?P<head>(?i:(?:{alternatives}){_MODIFIERS}))(?P<comp>{_COMPLEMENT}{{0,3}}){_QUALIFIER}(?![\w])"
    )


def find_posts(text: str) -> list[Post]:
    """Every post phrase in ``text``; a head in capitals ("Director General") counts too."""
    posts = []
    for match in _pattern().finditer(text):
        head = squash(match["head"])
        comp = match["comp"]
        comp_start = None
        if comp:
            # the complement starts after its preposition and article
            lead = re.match(r" +(?:de +la|de +los|de +las|del|de|en) +(?:la +|el +)?", comp)
            comp_start = match.start("comp") + (lead.end() if lead else 0)
        posts.append(Post(head, squash(match.group(0)), match.start(), match.end(), comp_start))
    return posts
