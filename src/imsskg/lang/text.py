"""Text normalisation shared by every stage: accent folding, slugs, white space, capitalised words.

>>> fold("Querétaro")
'queretaro'
>>> slug("Hospital General Regional (HGR) de Ciudad Juárez")
'hospital-general-regional-hgr-de-ciudad-juarez'
"""

from __future__ import annotations

import re
import unicodedata

UPPER = "A-ZÁÉÍÓÚÑÜ"
LOWER = "a-záéíóúñü"
#: One capitalised word, an acronym or a number-like token inside a proper name.
CAP_WORD = rf"(?:[{UPPER}][{LOWER}{UPPER}]*(?: ?[-–] ?[{UPPER}0-9][{LOWER}{UPPER}0-9]*)*|[IVXLC]+|\d+)"
#: Words that stay lower case inside a name ("Unidad de Medicina Familiar") and never end one.
SMALL_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "para", "en", "a", "al"})
#: Particles of Spanish surnames ("de la Torre").
NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los"})
PARTICLE = r"(?:de +la|de +las|de +los|del|de|y|e|la|las|los)"
#: A proper name: capitalised words joined by spaces (never a line break) and particles.
NAME = rf"{CAP_WORD}(?: +(?:{PARTICLE} +)?{CAP_WORD})*"


def fold_char(ch: str) -> str:
    """One character without accents, lower case (always one character)."""
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


_FOLD = {ord(ch): fold_char(ch) for ch in map(chr, range(0x80, 0x2B0))}


def fold(text: str) -> str:
    """Lower case without accents; the result has the same length as ``text``."""
    folded = text.translate(_FOLD).lower()
    return folded if len(folded) == len(text) else "".join(fold_char(ch) for ch in text)


def search_key(text: str) -> str:
    """The form a name is looked up by: folded, punctuation to spaces, single spaces.

    >>> search_key("  Zoé  Robledo-Aburto ")
    'zoe robledo aburto'
    """
    return " ".join(re.findall(r"[^\W_]+", fold(text)))


def search_words(text: str) -> set[str]:
    """The words of a name's search key that a lookup can start from (two letters or more).

    >>> sorted(search_words("Instituto Mexicano del Seguro Social (IMSS)"))
    ['del', 'imss', 'instituto', 'mexicano', 'seguro', 'social']
    """
    return {w for w in search_key(text).split() if len(w) >= 2}


def lookup_word(text: str) -> str:
    """The word of ``text`` a lookup starts from: its longest (ties: the first), or ``""``.

    >>> lookup_word("Zoé Robledo"), lookup_word("")
    ('robledo', '')
    """
    words = search_key(text).split()
    return max(words, key=len) if words else ""


def slug(text: str) -> str:
    """An IRI-safe identifier for a name."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def squash(text: str) -> str:
    """Collapse white space and strip."""
    return re.sub(r"\s+", " ", text).strip()


def is_capitalised(word: str) -> bool:
    """True for a word that starts with a capital letter or a digit."""
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def title_case(text: str) -> str:
    """Spanish title case for a name written in capitals (particles stay lower case).

    >>> title_case("UNIDAD DE COMUNICACIÓN SOCIAL")
    'Unidad de Comunicación Social'
    """
    words = text.lower().split(" ")
    return " ".join(w if (w in SMALL_WORDS and i) else w[:1].upper() + w[1:] for i, w in enumerate(words))
