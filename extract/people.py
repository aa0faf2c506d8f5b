"""Find people: names next to a post, names that start with a known given name, and spaCy's PER.

>>> text = "afirmó el director general Zoé Robledo."
>>> sorted({m.name for m in find_people(text, find_posts(text))})
['Zoé Robledo']
>>> person_key("Fabián Octavio de la Torre de Stéfano")
'person/fabian-octavio-de-la-torre'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from imsskg.extract.posts import Post, find_posts

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.text import LOWER, NAME_PARTICLES, UPPER, fold, slug
from imsskg.lang.words import word_list
from imsskg.model import Mention

HONORIFIC = (
    r"(?:(?:(?:Dr|Dra|Mtro|Mtra|Lic|Ing|Arq|Profr|Profra|Sr|Sra|C)\.|[Mm]aestr[oa]|[Dd]octor[a]?|[Ll]icenciad[oa]|"
    r"[Ii]ngenier[oa]|[Pp]rofesor[a]?|[Aa]rquitect[oa]) +)"
)
NAME_WORD = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
PERSON = rf"{HONORIFIC}?{NAME_WORD}(?: +(?:de +la +|de +los +|de +las +|del +|de +)?{NAME_WORD}){{1,5}}"
_PERSON = re.compile(rf"(?<![\w]){PERSON}(?![\w])")
_TITLED = re.compile(
    rf"(?<![\w]){HONORIFIC}{NAME_WORD}(?: +(?:de +la +|de +los +|de +las +|del +|de +)?{NAME_WORD}){{1,4}}(?![\w])"
)
_NOT_NAMES = word_list("not_names")


def _words(name: str) -> list[str]:
    return re.sub(rf"^{HONORIFIC}", "", name).split()


def person_key(name: str) -> str:
    """A stable key for a person: given names plus first surname, so that "Marcos Bucio" and
    "Marcos Bucio Mújica" (with the second surname) are one person."""
    given = load_gazetteer().given_names
    words = _words(name)
    i = 0
    while i < len(words) - 1 and i < 3 and fold(words[i]) in given:
        i += 1
    i = max(i, 1)
    surname = []
    for word in words[i:]:
        surname.append(word)
        if word.lower() not in NAME_PARTICLES:
            break
    return f"person/{slug(' '.join(words[:i] + surname))}"


def surname(name: str) -> str:
    """The first surname of a full name, with its particles ("de la Torre").

    >>> surname("Fabián Octavio de la Torre de Stéfano")
    'de la Torre'
    """
    given = load_gazetteer().given_names
    words = _words(name)
    i = 0
    while i < len(words) - 1 and i < 3 and fold(words[i]) in given:
        i += 1
    out = []
    for word in words[max(i, 1) :]:
        out.append(word)
        if word.lower() not in NAME_PARTICLES:
            break
    return " ".join(out)


def _clean(text: str, start: int, end: int) -> tuple[int, int] | None:
    words = text[start:end].split(" ")
    while words and words[-1].lower() in NAME_PARTICLES:
        words.pop()
    while words and fold(words[0]) in _NOT_NAMES:
        start += len(words[0]) + 1
        words.pop(0)
    core = _words(" ".join(words))
    if len(core) < 2 or any(fold(w) in _NOT_NAMES for w in core if w.lower() not in NAME_PARTICLES):
        return None
    return start, start + len(" ".join(words))


def _person(text: str, start: int, end: int, rule: str) -> Mention | None:
    span = _clean(text, start, end)
    if not span:
        return None
    surface = text[span[0] : span[1]]
    name = " ".join(_words(surface))
    return Mention("Person", surface, span[0], span[1], person_key(name), rule, name)


def find_people(text: str, posts: Iterable[Post], ner: Iterable[tuple[int, int]] = ()) -> list[Mention]:
    """People in ``text``: next to a post phrase, starting with a given name, or tagged PER."""
    found: list[Mention] = []
    for post in posts:
        after = re.compile(rf"(?: *\([A-Za-z-]{{2,15}}\))?,? +({PERSON})").match(text, post.end)
        if after and (m := _person(text, after.start(1), after.end(1), "post-before-name")):
            found.append(m)
        before = re.search(
            rf"({PERSON})(?:,|\*\*,|\s*\n\s*)\s*(?:el |la )?$", text[max(0, post.start - 120) : post.start]
        )
        if before:
            offset = max(0, post.start - 120)
            if m := _person(text, offset + before.start(1), offset + before.end(1), "name-before-post"):
                found.append(m)
    given = load_gazetteer().given_names
    for match in _TITLED.finditer(text):  # "el Dr. Misael Ley Mejía": a title before a full name
        words = _words(match.group(0))
        if len(words) < 3 and fold(words[0]) not in given:
            continue  # "la doctora Estrada Martínez": surnames alone, a later mention of someone
        if m := _person(text, match.start(), match.end(), "honorific"):
            found.append(m)
    for match in _PERSON.finditer(text):
        # "Participaron Laura Pérez Gómez": the name starts at the first given name
        offset = match.start()
        for word in match.group(0).split(" "):
            if fold(word) in given:
                if m := _person(text, offset, match.end(), "given-name"):
                    found.append(m)
                break
            offset += len(word) + 1
    for start, end in ner:
        # spaCy's PER is kept when a given name confirms it ("Tuffic Miguel": Miguel)
        per = _PERSON.fullmatch(text, start, end)
        confirmed = per is not None and any(fold(w) in given for w in _words(per.group(0)))
        if confirmed and (m := _person(text, start, end, "spacy-per")):
            found.append(m)
    return found


__all__ = ["find_people", "find_posts", "person_key", "surname"]
