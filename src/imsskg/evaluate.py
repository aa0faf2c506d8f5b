"""Score an extraction report against hand annotations (the project's gold format).

Entities match per document and type when a name or mention agrees after normalisation
(case, accents, quotes, hyphens, leading articles) or, failing that, when their words overlap
by 75 % (Jaccard); relations match when the predicate and both ends do (for ``holdsPost``, the
post shares most content words and the organizations agree where both give one). Identity is
the pairwise F1 of predicted IRIs over entities that appear in several documents.

>>> norm("El IMSS-Bienestar")
'imss bienestar'
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imsskg.model import ENTITY_TYPES, PREDICATES

_STOP = {"el", "la", "los", "las", "de", "del", "y", "en", "a", "al", "e", "por", "para", "con"}


def norm(text: str) -> str:
    """Lower case, no accents, quotes or punctuation, no leading article."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\"'`\u201c\u201d\u00ab\u00bb\u2018\u2019]", "", text)
    text = re.sub(r"[^\w\s@]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^(el|la|los|las) ", "", text)


def _words(text: str) -> set[str]:
    return {t for t in norm(text).split() if t not in _STOP}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _strings(entity: Mapping[str, Any]) -> set[str]:
    found = {norm(entity.get("name") or "")} | {norm(m) for m in entity.get("mentions") or [] if isinstance(m, str)}
    return found - {""}


def _similarity(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> float:
    p, g = _strings(pred), _strings(gold)
    if norm(pred.get("name") or "") in g:
        return 3.0
    if p & g:
        return 2.0
    best = max((_jaccard(_words(a), _words(b)) for a in p for b in g), default=0.0)
    return 1.0 if best >= 0.75 else 0.0


def _align(preds: list[dict[str, Any]], golds: list[dict[str, Any]]) -> dict[int, int]:
    pairs = sorted(((_similarity(p, g), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: dict[int, int] = {}
    for score, i, j in pairs:
        if score <= 0:
            break
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out[i] = j
    return out


def _post_matches(pred: str, gold: str) -> bool:
    a, b = _words(pred), _words(gold)
    return bool(a and b) and (_jaccard(a, b) >= 0.5 or a <= b or b <= a)


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Per-type and per-predicate counts, the identity check, and every error."""

    entities: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in ENTITY_TYPES})
    relations: dict[str, Counts] = field(default_factory=lambda: {p: Counts() for p in PREDICATES})
    identity: float = 1.0
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _total(counts: Iterable[Counts]) -> Counts:
        total = Counts()
        for c in counts:
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        return total

    @property
    def entity_micro(self) -> Counts:
        return self._total(self.entities.values())

    @property
    def relation_micro(self) -> Counts:
        return self._total(self.relations.values())


def _relation_key(r: Mapping[str, Any], end: Any) -> tuple[str, str, str, str]:
    if r["predicate"] == "holdsPost":
        org = r.get("organization")
        return ("holdsPost", norm(end(r.get("subject"))), str(r.get("object") or ""), norm(end(org)) if org else "")
    return (r["predicate"], norm(end(r.get("subject"))), norm(end(r.get("object"))), "")


def score(gold: Iterable[Mapping[str, Any]], report: Mapping[str, Mapping[str, Any]]) -> Score:
    """Score report lines (by document file name) against gold annotations."""
    result = Score()
    instances: list[tuple[str, tuple[str, str], Any]] = []
    for g in gold:
        doc = g["doc"]
        pred = report.get(doc) or {}
        if not pred:
            result.errors.append(f"{doc}: no prediction for this document")
        p_ents = [e for e in pred.get("entities") or [] if e.get("type") in ENTITY_TYPES]
        by_id = {e.get("id"): e for e in p_ents}
        gold_name: dict[Any, str] = {}
        for kind in ENTITY_TYPES:
            ps = [e for e in p_ents if e["type"] == kind]
            gs = [e for e in g["entities"] if e["type"] == kind]
            matched = _align(ps, gs)
            counts = result.entities[kind]
            counts.tp += len(matched)
            counts.fp += len(ps) - len(matched)
            counts.fn += len(gs) - len(matched)
            for i, j in matched.items():
                gold_name[ps[i].get("id")] = gs[j]["name"]
                instances.append((doc, (kind, norm(gs[j]["name"])), ps[i].get("id")))
            result.errors += [
                f"{doc}: missed {kind} {e['name']!r}" for k, e in enumerate(gs) if k not in matched.values()
            ]
            result.errors += [f"{doc}: spurious {kind} {e.get('name')!r}" for k, e in enumerate(ps) if k not in matched]

        def end(ref: Any, names: dict[Any, str] = gold_name, ids: dict[Any, Any] = by_id) -> str:
            return names.get(ref) or (ids.get(ref) or {}).get("name") or str(ref)

        predicted = {_relation_key(r, end) for r in pred.get("relations") or [] if r.get("predicate") in PREDICATES}
        expected = set()
        for r in g["relations"]:
            if r["predicate"] == "holdsPost":
                post, _, org = r["object"].partition(" @ ")
                expected.add(("holdsPost", norm(r["subject"]), post, norm(org)))
            elif r["predicate"] in PREDICATES:
                expected.add((r["predicate"], norm(r["subject"]), norm(r["object"]), ""))
        unmatched = set(predicted)
        for e in sorted(expected):
            hit = next(
                (
                    p for p in sorted(unmatched)
                    if p[:2] == e[:2]
                    and (
                        (_post_matches(p[2], e[2]) and (not p[3] or not e[3] or p[3] == e[3]))
                        if e[0] == "holdsPost" else p[2] == e[2]
                    )
                ),
                None,
            )  # fmt: skip
            if hit:
                unmatched.discard(hit)
                result.relations[e[0]].tp += 1
            else:
                result.relations[e[0]].fn += 1
                result.errors.append(f"{doc}: missed {e[0]} {e[1]!r} -> {e[2]!r} {e[3]!r}")
        for p in sorted(unmatched):
            result.relations[p[0]].fp += 1
            result.errors.append(f"{doc}: spurious {p[0]} {p[1]!r} -> {p[2]!r} {p[3]!r}")
    same = [(a, b) for a, b in itertools.combinations(instances, 2) if a[0] != b[0]]
    pairs = Counts(
        tp=sum(1 for a, b in same if a[1] == b[1] and a[2] == b[2]),
        fn=sum(1 for a, b in same if a[1] == b[1] and a[2] != b[2]),
        fp=sum(1 for a, b in same if a[1] != b[1] and a[2] == b[2]),
    )
    result.identity = pairs.f1 if pairs.tp + pairs.fp + pairs.fn else 1.0
    return result


def load_gold(folder: Path) -> list[dict[str, Any]]:
    """Every ``*.json`` annotation file of a folder."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold files (*.json) in {folder}")
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def table(result: Score) -> list[list[str]]:
    """Rows for printing: name, P, R, F1, tp, fp, fn."""
    rows = []
    for section in (result.entities, result.relations):
        for name, c in section.items():
            rows.append([name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp), str(c.fn)])
    for name, c in (("entities (micro)", result.entity_micro), ("relations (micro)", result.relation_micro)):
        rows.append([name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp), str(c.fn)])
    return rows


def load_report(path: Path) -> dict[str, dict[str, Any]]:
    """An extraction report (JSON Lines, one object per document), by document file name."""
    lines = (line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {obj["doc"]: obj for obj in map(json.loads, lines)}


def main(argv: list[str] | None = None) -> None:
    """``score.py REPORT [--gold DIR] [--json] [--show-errors]``: the evaluation kit's command,
    on the same metrics (its output format, so that figures can be compared line by line)."""
    import argparse

    parser = argparse.ArgumentParser(description="Score a JSON Lines extraction report against gold annotations.")
    parser.add_argument("report", type=Path)
    parser.add_argument("--gold", type=Path, required=True, help="folder of gold annotations (*.json)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--show-errors", action="store_true", help="list every miss and spurious item")
    args = parser.parse_args(argv)
    result = score(load_gold(args.gold), load_report(args.report))
    if args.json:
        sections = {"entities": result.entities, "relations": result.relations}
        data: dict[str, Any] = {
            name: {k: [c.precision, c.recall, c.f1, c.tp, c.fp, c.fn] for k, c in counts.items()}
            for name, counts in sections.items()
        }
        data |= {
            "entity_micro": [result.entity_micro.precision, result.entity_micro.recall, result.entity_micro.f1],
            "relation_micro": [result.relation_micro.precision, result.relation_micro.recall, result.relation_micro.f1],
            "identity": result.identity,
            "errors": result.errors,
        }
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return
    if args.show_errors:
        for error in result.errors:
            print(error)
    print(f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}")
    for counts in (result.entities, result.relations):
        for name, c in counts.items():
            print(f"{name:14}{c.precision:7.3f}{c.recall:7.3f}{c.f1:7.3f}{c.tp:6}{c.fp:6}{c.fn:6}")
        print()
    e, r = result.entity_micro, result.relation_micro
    print(f"entities P {e.precision:.3f} R {e.recall:.3f} | relations P {r.precision:.3f} R {r.recall:.3f}")
    print(f"entities F1 {e.f1:.3f} | relations F1 {r.f1:.3f} | identity {result.identity:.3f}")
