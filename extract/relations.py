"""Relations stated in a sentence: holdsPost, represents, locatedIn, operatesIn, partOf.

Each rule reads one construction of Spanish bulletins; a relation is only kept when both
ends are entities of the document and the construction is found in one sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from imsskg.extract.people import HONORIFIC
from imsskg.extract.posts import Post

from imsskg.lang.gazetteer import load_gazetteer
from imsskg.lang.posts import role_of_head
from imsskg.lang.text import fold
from imsskg.model import Entity, Mention, Predicate, Relation

_PROGRAM_OWNER = re.compile(
    r"\b(?:relanz|lanz|puso en marcha|pone en marcha|implement|opera|cuenta con|cre[oó] |desarroll|brinda|ofrece|"
    r"mantiene|impuls|promuev|promovi|a través del? |coordina|administra)",
    re.I,
)
_OPERATING_VERB = re.compile(
    r"^,?(?: +que)? +(?:opera\w*|tienen? presencia|está presente|llega\w*|se implementa\w*|funciona\w*)\b"
)
_OPERATES = re.compile(
    r"^(?: +(?:opera\w*|tiene presencia|está presente|llega\w*|avanza\w*|se implementa\w*|funciona\w*))? +en +"
    r"(?:el estado de +|la entidad de +)?$"
)
#: What joins a body to the institution it belongs to: "del", "de las Oficinas Centrales del"
_OWNED_BY = re.compile(r"(?: +de +las +Oficinas +Centrales)? +del +")
#: Verbs of an institution building, opening or running a unit: "puso en marcha", "inauguró"
_BUILDS = re.compile(
    r"\b(?:puso en marcha|pone en marcha|inaugur|constru|abri[óo]|edific|equip|remodel|ampli[óa]|rehabilit|"
    r"entreg[óa]|opera)",
    re.I,
)
#: What joins a unit to the place it is in: "en", "ubicada en", "que se ubica en", "también en la"
_UNIT_PLACE = re.compile(
    r",? +(?:(?:que +se +)?(?:ubicad[oa]s?|ubica|localizad[oa]s?|encuentra) +)?(?:también +)?en +(?:la +|el +)?"
)
_REPRESENTATION = re.compile(r"\ben representación (?:de la |del |de )", re.I)
_POST_TO_NAME = re.compile(rf"^(?: *\([A-Za-z-]{{2,15}}\))?,? +{HONORIFIC}?$")
_NAME_TO_POST = re.compile(r"^(?:,|\*\*,|\s*\n\s*)\s*(?:el |la )?$")


class Sentences:
    """Sentence boundaries of a document, looked up by character offset."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self.starts = [s for s, _ in self.spans]

    def of(self, offset: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding ``offset``."""
        i = max(0, bisect_right(self.starts, offset) - 1)
        return self.spans[i] if self.spans else (0, offset)


def _rel(
    subject: str, predicate: Predicate, obj: str, span: tuple[int, int], rule: str, org: str | None = None
) -> Relation:
    return Relation(subject, predicate, obj, span[0], span[1], rule, org)


_BODIES = {"Organization", "Hospital", "Program"}


def _headed_body(text: str, post: Post, mentions: list[Mention]) -> Mention | None:
    """The body a cabinet-style post heads: "secretario de Salud" → the "Secretaría de Salud" of
    the document, when the post's complement is not followed by a qualifier ("capitalina")."""
    assert post.complement_start is not None
    body = load_gazetteer().post_bodies.get(role_of_head(post.head))
    if not body or re.match(r" +[a-záéíóúñ]", text[post.end : post.end + 20]):
        return None
    wanted = {fold(f"{body} {joiner} {text[post.complement_start : post.end]}") for joiner in ("de", "del", "de la")}
    return next((m for m in mentions if m.type == "Organization" and fold(m.name) in wanted), None)


def _post_object(text: str, post: Post, mentions: list[Mention], main_org: str | None) -> tuple[str, str | None]:
    """The post's text and the key of its organization ("director general", "org/imss")."""
    if post.complement_start is not None:
        org = next((m for m in mentions if m.start == post.complement_start and m.type in _BODIES), None)
        head = re.sub(r" +(?:de|del|de la|de los|de las|en)$", "", text[post.start : post.complement_start].strip())
        head = re.sub(r"\s+", " ", head)
        if org:
            return head, org.key
        if re.match(r"Instituto\b(?! \w*[A-Z])", text[post.complement_start : post.end]) and main_org:
            return head, main_org
        if body := _headed_body(text, post, mentions):
            return post.text, body.key
    return post.text, None


def _stated_organizations(text: str, posts: Sequence[Post], mentions: list[Mention]) -> dict[str, str]:
    """For each post head, the one organization the document attaches it to ("el director
    general del IMSS"), so that a bare "el director general Zoé Robledo" gets it too."""
    seen: dict[str, set[str]] = {}
    for post in posts:
        if post.complement_start is not None:
            _, org = _post_object(text, post, mentions, None)
            if org:
                seen.setdefault(fold(post.head), set()).add(org)
    return {head: next(iter(orgs)) for head, orgs in seen.items() if len(orgs) == 1}


def extract_relations(
    text: str, entities: Sequence[Entity], posts: Sequence[Post], sentences: Sentences
) -> list[Relation]:
    """Every relation the rules find in one document."""
    mentions = sorted((m for e in entities for m in e.mentions), key=lambda m: m.start)
    people = [m for m in mentions if m.type == "Person"]
    orgs = [e for e in entities if e.type == "Organization"]
    main_org = max(orgs, key=lambda e: len(e.mentions)).key if orgs else None
    found: list[Relation] = []
    holders: dict[str, str] = {}

    links: list[tuple[Post, Mention, bool]] = []
    for post in posts:  # "el secretario general del IMSS, Marcos Bucio"
        for person in people:
            if person.start >= post.end and _POST_TO_NAME.match(text[post.end : person.start]):
                links.append((post, person, True))
    linked_posts = {id(p) for p, _, _ in links}
    for post in posts:  # "Zoé Robledo, director general del IMSS" (unless the post names someone after it)
        for person in people:
            if id(post) in linked_posts or person.end > post.start:
                continue
            gap = _NAME_TO_POST.match(text[person.end : post.start])
            # "Zoé Robledo, el secretario general puntualizó": with an article, the post opens a new
            # subject unless the apposition closes ("Marcos Bucio, el secretario general, dijo")
            closed = re.match(r"(?: *\([A-Za-z-]{2,15}\))? *(?:[,;.)]|$)", text[post.end : post.end + 20])
            if gap and (not gap.group(0).rstrip().endswith(("el", "la")) or closed):
                links.append((post, person, False))
    stated = _stated_organizations(text, posts, mentions)
    for post, person, after in links:
        obj, org = _post_object(text, post, mentions, main_org)
        if org is None and post.complement_start is None:
            org = stated.get(fold(post.head))
        if org is None and after:
            tail = re.compile(r", +de +(?:la +|el +)?").match(text, person.end)
            owner = next((m for m in mentions if tail and m.start == tail.end() and m.type == "Organization"), None)
            org = owner.key if owner else None
        found.append(_rel(person.key, "holdsPost", obj, sentences.of(post.start), "post-apposition", org))
        holders.setdefault(fold(post.head), person.key)

    for match in _REPRESENTATION.finditer(text):
        span = sentences.of(match.start())
        inside = [p for p in people if span[0] <= p.start < span[1]]
        represented = next((p for p in inside if p.start >= match.end()), None)
        if not represented:
            continue
        others = [p for p in inside if p.key != represented.key]
        agent = next((p for p in others if p.start > represented.end), None) or next(reversed(others), None)
        if agent is None:
            later = [p for p in posts if represented.end < p.start < span[1] and fold(p.head) in holders]
            agent_key = holders[fold(later[-1].head)] if later else None
        else:
            agent_key = agent.key
        if agent_key and agent_key != represented.key:
            found.append(_rel(agent_key, "represents", represented.key, span, "en-representacion"))

    by_start = {m.start: m for m in mentions}
    for m in mentions:
        if m.type == "City":
            comma = re.compile(r", +").match(text, m.end)
            state = by_start.get(comma.end()) if comma else None
            if state and state.type == "State" and not _dateline(text, m.start, state.end):
                found.append(_rel(m.key, "locatedIn", state.key, sentences.of(m.start), "city-comma-state"))
        outer = any(k.type == "Hospital" and k.start < m.start and m.end <= k.end for k in mentions)
        if m.type == "Hospital" and not outer and (where := _UNIT_PLACE.match(text, m.end)):
            place = by_start.get(where.end())
            if place and place.type in {"City", "State"}:  # "la UMF No. 56 en Mazatlán", "ubicada en Tecámac"
                found.append(_rel(m.key, "locatedIn", place.key, sentences.of(m.start), "unit-en-place"))
        if m.type in {"Hospital", "Organization"}:
            inner = [n for n in mentions if m.start < n.start and n.end <= m.end and n is not m]
            place = next(
                (n for n in reversed(inner) if n.type in {"City", "State"} and not text[n.end : m.end].strip('”"» ')),
                None,
            )  # the last words of the name, quoted or not: "Clínica Hospital “Celaya”"
            if place and m.type == "Hospital":
                found.append(_rel(m.key, "locatedIn", place.key, sentences.of(m.start), "place-in-unit"))
            direct = [n for n in inner if not any(o is not n and o.start <= n.start and n.end <= o.end for o in inner)]
            for n in direct:  # not the "IMSS" inside the "IMSS Bienestar" of a unit's name
                if n.type == "Organization" and text[max(m.start, n.start - 4) : n.start].strip() == "del":
                    found.append(_rel(m.key, "partOf", n.key, sentences.of(m.start), "body-of-operator"))
                elif m.type == "Hospital" and n.type in {"Organization", "Program"} and _runs_units(n.key):
                    # "Hospital IMSS-Bienestar Rosamorada": the operator's name in the unit's
                    found.append(_rel(m.key, "partOf", n.key, sentences.of(m.start), "operator-in-unit"))
        if m.type == "Program":
            later_states = [n for n in mentions if n.start > m.end and n.type == "State"]
            state = later_states[0] if later_states else None
            if state and _OPERATES.match(text[m.end : state.start]):
                found.append(_rel(m.key, "operatesIn", state.key, sentences.of(m.start), "program-en-state"))
            verb = _OPERATING_VERB.match(text[m.end : m.end + 60])
            if verb:  # "IMSS-Bienestar opera en 23 entidades, entre ellas Nayarit, Sonora y Tlaxcala"
                span = sentences.of(m.start)
                for n in later_states:
                    if n.start >= span[1]:
                        break
                    found.append(_rel(m.key, "operatesIn", n.key, span, "program-operates-list"))
        if m.type in {"Organization", "Program", "Hospital"}:
            of = _OWNED_BY.match(text, m.end)
            owner = by_start.get(of.end()) if of else None
            if owner and owner.type == "Organization" and owner.key != m.key:
                found.append(_rel(m.key, "partOf", owner.key, sentences.of(m.start), "x-del-org"))

    found += _programs_in_their_state(text, mentions, sentences)
    named = {m.key for m in mentions}
    for m in mentions:  # "el Consejo Técnico del IMSS": a body the gazetteer knows to be part of another
        known = load_gazetteer().by_key.get(m.key)
        if known and known.parent and known.parent in named:
            found.append(_rel(m.key, "partOf", known.parent, sentences.of(m.start), "known-parent"))
    for m in mentions:
        if m.key.startswith("org/ooad-imss-") and "IMSS" in m.name:  # the IMSS organ of a state
            found.append(_rel(m.key, "partOf", "org/imss", sentences.of(m.start), "ooad-of-imss"))
    found += _programs_through_units(found)

    for start, end in sentences.spans:
        inside = [m for m in mentions if start <= m.start < end]
        owners = [m for m in inside if m.type == "Organization"]
        if not owners:
            continue
        owner = owners[0]
        if _runs_units(owner.key):  # "El IMSS puso en marcha la UMF No. 56"
            for unit in (m for m in inside if m.type == "Hospital" and m.start > owner.end):
                between = text[owner.end : unit.start]
                if (
                    len(between) < 120
                    and _BUILDS.search(between)
                    and ";" not in between
                    and not any(o.start > owner.end and o.end <= unit.start and o.key != owner.key for o in owners)
                ):
                    found.append(_rel(unit.key, "partOf", owner.key, (start, end), "org-verb-unit"))
        for program in (m for m in inside if m.type == "Program" and m.start > owner.end):
            between = text[owner.end : program.start]
            if (
                len(between) < 160
                and ";" not in between  # another clause, another subject
                and _PROGRAM_OWNER.search(between)
                and not any(o.start > owner.end and o.end <= program.start and o.key != owner.key for o in owners)
            ):
                found.append(_rel(program.key, "partOf", owner.key, (start, end), "org-verb-program"))
    unique: dict[tuple[str, str, str, str | None], Relation] = {}
    for r in found:
        unique.setdefault((r.subject, r.predicate, fold(r.obj), r.organization), r)
    return [r for r in unique.values() if not _shorter_post(r, unique.values())]


#: What follows the place of a dateline: "(Agencia).-", ", 5 de marzo de 2024.-", ".-", "—"
_DATELINE_END = re.compile(
    r"\s*(?:\([^)\n]{1,60}\)\s*\.?\s*[-–—]|,[^.\n]{0,40}\d{4}\s*\.?\s*[-–—]|\.\s*[-–—]|\s*[-–—])"
)


def _dateline(text: str, start: int, end: int) -> bool:
    """Whether "City, State" at ``start`` opens the text's dateline (which says where the news was
    written, not where anything is)."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and bool(_DATELINE_END.match(text, end))


#: A sentence about the program's services on the ground: units opened, communities served, money invested.
_ON_THE_GROUND = re.compile(
    r"\b(?:unidad(?:es)? (?:médicas?|móvil(?:es)?)|hospital(?:es)?|clínicas?|inaugur\w*|comunidades|"
    r"localidades|inversión|invierte|atiende\w*|beneficia\w*|cobertura)\b",
    re.I,
)
_NEGATION = re.compile(r"\b(?:no|nunca|sin|rechaz\w*)\b", re.I)


def _runs_units(key: str) -> bool:
    """Whether the gazetteer knows ``key`` as an institution or program that runs medical units."""
    known = load_gazetteer().by_key.get(key)
    return bool(known and known.runs_units)


def _programs_in_their_state(text: str, mentions: list[Mention], sentences: Sentences) -> list[Relation]:
    """A territorial program and the one state a sentence names, in a sentence about its units,
    communities or investment there: "del estado de Chiapas ... a través del Programa
    IMSS-PROSPERA, inauguró tres unidades médicas rurales"."""
    found = []
    for start, end in sentences.spans:
        inside = [m for m in mentions if start <= m.start < end]
        states = {m.key for m in inside if m.type == "State"}
        sentence = text[start:end]
        if len(states) != 1 or not _ON_THE_GROUND.search(sentence) or _NEGATION.search(sentence):
            continue
        territorial = {m.key for m in inside if (k := load_gazetteer().by_key.get(m.key)) and k.territorial}
        for program in territorial:
            found.append(_rel(program, "operatesIn", next(iter(states)), (start, end),
                              "program-state-sentence"))  # fmt: skip
    return found


def _programs_through_units(found: list[Relation]) -> list[Relation]:
    """A program operates in the state where one of its units is: "el Hospital Comunitario IMSS
    Bienestar en Maruata, Michoacán" (the unit's state, or its city's)."""
    state_of = {r.subject: r.obj for r in found if r.predicate == "locatedIn" and r.obj.startswith("state/")}
    inferred = []
    for r in found:
        if r.predicate == "partOf" and r.obj.startswith("program/") and r.subject.startswith("hospital/"):
            places = [o for p, o in ((x.predicate, x.obj) for x in found if x.subject == r.subject) if p == "locatedIn"]
            states = {state_of.get(place, place) for place in places} & set(state_of.values()) | {
                p for p in places if p.startswith("state/")
            }
            for state in sorted(states):
                inferred.append(
                    Relation(r.obj, "operatesIn", state, r.sentence_start, r.sentence_end, "program-unit-state")
                )
    return inferred


def _shorter_post(r: Relation, others: Iterable[Relation]) -> bool:
    """A post stated twice, once in short ("presidente", "presidente de México"): keep the long one."""
    if r.predicate != "holdsPost":
        return False
    words = set(fold(r.obj).split())
    return any(
        o.predicate == "holdsPost"
        and o.subject == r.subject
        and o.organization == r.organization
        and words < set(fold(o.obj).split())
        for o in others
    )
