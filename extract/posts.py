"""Recognise posts ("directora general de la UMAE ...", "jefa de Gobierno de la Ciudad de México").

>>> post = find_posts("la jefa de Gobierno de la Ciudad de México, Clara Brugada")[0]
>>> post.head, post.text
('jefa de Gobierno', 'jefa de Gobierno de la Ciudad de México')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from imsskg.extract.gazetteer import load_gazetteer
from imsskg.extract.text import NAME, fold

_MODIFIERS = (
    r"(?: +(?:general|adjunt[oa]|interin[oa]|nacional|estatal|regional|ejecutiv[oa]|municipal|federal|normativ[oa]))*"
)
_COMPLEMENT = rf"(?: +(?:de|del|de +la|de +los|de +las|en) +(?:la +|el +)?(?:{NAME})(?: +\([A-Z][A-Za-z-]{{1,14}}\))?)"
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


def role_of_head(head: str) -> str:
    """The masculine head of a post ("directora general" → "director general").

    >>> role_of_head("Secretaria")
    'secretario'
    """
    folded = re.sub(r"\s+", " ", fold(head))
    for masc, fem in load_gazetteer().posts:
        if folded in (fold(masc), fold(fem)):
            return masc
    return folded


def find_posts(text: str) -> list[Post]:
    """Every post phrase in ``text``; a head in capitals ("Director General") counts too."""
    posts = []
    for match in _pattern().finditer(text):
        head = re.sub(r"\s+", " ", match["head"])
        comp = match["comp"]
        comp_start = None
        if comp:
            # the complement starts after its preposition and article
            lead = re.match(r" +(?:de +la|de +los|de +las|del|de|en) +(?:la +|el +)?", comp)
            comp_start = match.start("comp") + (lead.end() if lead else 0)
        posts.append(Post(head, re.sub(r"\s+", " ", match.group(0)), match.start(), match.end(), comp_start))
    return posts
