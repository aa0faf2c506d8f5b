"""Normalise posts so that the same office gets one IRI whoever holds it and however it is worded.

"directora general" and "Director General" are the role ``director general``; with the
organization they make the post ``post/org-imss/director-general``.

>>> role_of("Directora General")
'director general'
>>> role_of_head("Secretaria")
'secretario'
>>> post_path("presidenta de México", None)
'post/presidente-de-mexico'
>>> post_path("titular", "org/imss")
'post/org-imss/director-general'
"""

from __future__ import annotations

from functools import lru_cache

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import fold, slug, squash


@lru_cache(maxsize=1)
def _masculine() -> dict[str, str]:
    return {fold(fem): fold(masc) for masc, fem in load_gazetteer().posts}


def role_of_head(head: str) -> str:
    """The masculine form of a post's head, as the data writes it ("directora general" →
    "director general"); an unknown head comes back folded."""
    folded = squash(fold(head))
    for masc, fem in load_gazetteer().posts:
        if folded in (fold(masc), fold(fem)):
            return masc
    return folded


def role_of(post: str, organization: str | None = None) -> str:
    """The role named by a post's text, in masculine singular, lower case, without accents.

    "titular" (the head) is the organization's head title where the data gives one.
    """
    text = squash(fold(post))
    for fem, masc in sorted(_masculine().items(), key=lambda kv: -len(kv[0])):
        if text == fem or text.startswith(fem + " "):
            text = masc + text[len(fem) :]
            break
    known = load_gazetteer().by_key.get(organization or "")
    if text == "titular" and known and known.head:
        return known.head
    return text


def post_path(post: str, organization: str | None) -> str:
    """The IRI path of a post: its role, inside its organization when one is known."""
    role = slug(role_of(post, organization))
    return f"post/{organization.replace('/', '-')}/{role}" if organization else f"post/{role}"


def role_path(post: str, organization: str | None = None) -> str:
    """The IRI path of the role (``org:Role``) of a post."""
    return f"role/{slug(role_of(post, organization))}"
