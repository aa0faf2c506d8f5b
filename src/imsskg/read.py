"""Read press releases from disk: detect encoding, undo scraping damage, find metadata.

>>> find_date("Ciudad de México a 29 de noviembre de 2018.")
datetime.date(2018, 11, 29)
>>> clean_text("[bookmark: _GoBack]**Hola**  mundo")
'Hola  mundo'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

from imsskg.config import settings
from imsskg.lang.dates import find_date
from imsskg.lang.text import squash
from imsskg.model import Document

SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".docx"}
#: What ``imsskg fetch`` records beside the pages it saves: each file's URL and retrieval time.
MANIFEST = "fetched.json"
_NUMBER = re.compile(r"\b(?:No\.|Bolet[ií]n)\s*(?:No\.\s*)?(\d{1,4}/\d{4})")
_DEBRIS = re.compile(r"\[bookmark:[^\]]*\]|\[image:[^\]]*\]|</?u>")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOILERPLATE = re.compile(r"^(bolet[ií]n de prensa|comunicado( de prensa)?|no\.\s*\d+/\d{4}\.?|[-–—o0·\s]+)$", re.I)


class ReadError(Exception):
    """A file that cannot be read as a press release; ``reason`` says why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


#: Above this share of NUL and other control bytes, a file is binary, not a press release.
BINARY_SHARE = 0.05
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])


def _binary_share(data: bytes) -> float:
    """The share of NUL and control bytes (tabs and line ends aside) in ``data``."""
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROL_BYTES))) / len(data)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 or Windows-1252/Latin-1.

    >>> decode("Querétaro".encode("cp1252"))
    ('Querétaro', 'cp1252')
    >>> text, codec = decode(b"\\x00\\x00\\x00" + "Boletín de prensa del IMSS. ".encode() * 4)
    >>> text[:26], codec  # a few stray NUL bytes are debris, not a sign of a binary file
    ('Boletín de prensa del IMSS', 'utf-8')
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    if 0 in data:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if odd > len(data) // 3 and even < len(data) // 20:
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if even > len(data) // 3 and odd < len(data) // 20:
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
        if _binary_share(data) > BINARY_SHARE:
            raise ValueError("binary content (NUL bytes)")
        data = data.replace(b"\x00", b"")  # scraping debris around a good text: dropped
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def clean_text(text: str) -> str:
    """Remove conversion debris and Markdown emphasis; normalise spaces and line ends."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = _DEBRIS.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _CONTROL.sub(" ", text)


class _HTMLText(HTMLParser):
    BLOCK: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "title",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "noscript", "template"}:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "noscript", "template"}:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The article of an HTML page, one block per paragraph: its headline, its dateline and its
    main text as trafilatura finds it (tables as rows of cells), with navigation, sidebars,
    related news, comments and footers left out; on a page with no article to find, all its
    visible text.

    >>> html_to_text("<p>Hola <b>IMSS</b></p><script>x()</script><p>Adiós</p>").split()
    ['Hola', 'IMSS', 'Adiós']
    """
    main = _main_text(html)
    if not main:
        return visible_text(html)
    title = _headline(html)
    body = main.split("\n\n")
    if title and body[0] == title:
        body = body[1:]
    head = [title] if title else []
    if not find_date(main[:600]):  # a byline or <time> the extraction left out: the first date after the headline
        page = visible_text(html)  # the whole page, read only when the article has no date
        after = page[page.find(title) :] if title and title in page else page
        dated = next((line.strip() for line in after.split("\n") if find_date(line) and len(line) < 200), None)
        head += [dated] if dated else []
    return "\n\n".join([*head, *body])


#: Page chrome that is never the article, by the tags and the class or id names sites use.
_CHROME = [
    "//footer", "//aside", "//nav", "//form",
    "//*[contains(@class,'coment') or contains(@id,'coment') or contains(@class,'comment') or contains(@id,'comment')]",
    "//*[contains(@id,'pie') or contains(@class,'pie-') or contains(@class,'footer') or contains(@id,'footer')]",
    "//*[contains(@class,'widget') or contains(@class,'lateral') or contains(@class,'sidebar')]",
    "//*[contains(@class,'relacionad') or contains(@class,'related') or contains(@class,'publicidad')]",
]  # fmt: skip
_TABLE_RULE = re.compile(r"(?m)^[|\s:-]+$\n?")


def _main_text(html: str) -> str | None:
    import trafilatura

    text = trafilatura.extract(html, include_tables=True, include_comments=False, favor_precision=True,
                               deduplicate=False, with_metadata=False, prune_xpath=_CHROME)  # fmt: skip
    if not text:
        return None
    text = _TABLE_RULE.sub("", text)  # "|---|---|" under a table's header
    text = re.sub(r"(?m)^\| *| *\|\s*$", "", text)  # "| a | b |": the row's cells, "a | b"
    text = re.sub(r"(?m)^- ", "", text)  # list items
    return re.sub(r"\n", "\n\n", text.strip())


class _Headline(HTMLParser):
    """The page's headline candidates: og:title, the first h1, the first h2, <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("property") == "og:title" and values.get("content"):
            self.found.setdefault("og", values["content"] or "")
        elif tag in {"h1", "h2", "title"} and tag not in self.found:
            self._open, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.found.setdefault(tag, squash("".join(self._text)))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def _headline(html: str) -> str | None:
    """The article's headline: og:title, else the first h1 or h2, else <title> without the site's
    name ("Boletín 214 | IMSS | gob.mx" → "Boletín 214")."""
    parser = _Headline()
    parser.feed(html)
    found = parser.found
    title = found.get("og") or found.get("h1") or found.get("h2") or found.get("title", "").split(" | ")[0]
    return squash(title) or None


def visible_text(html: str) -> str:
    """Every visible text of an HTML page (scripts and styles dropped), one block per paragraph.

    >>> visible_text("<p>Hola <b>IMSS</b></p><script>x()</script><p>Adiós</p>").split()
    ['Hola', 'IMSS', 'Adiós']
    """
    parser = _HTMLText()
    parser.feed(html)
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def docx_to_text(path: Path) -> str:
    """The text of a Word document as its reader sees it: the headers' paragraphs (where the
    bulletin number and date often are), then the body's paragraphs and tables in order, with
    tabs and line breaks kept, a table as rows of cells. Read with python-docx; a bare
    ``word/document.xml`` (no content types) is read from its XML.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError):
        return _docx_xml_text(path)
    blocks: list[str] = []
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            if paragraph.text.strip() and paragraph.text not in blocks:
                blocks.append(paragraph.text)
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks += [" | ".join(dict.fromkeys(cell.text.strip() for cell in row.cells)) for row in item.rows]
        else:
            blocks.append(item.text)
    return "\n\n".join(block for block in blocks if block.strip())


def _docx_xml_text(path: Path) -> str:
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    marks = {f"{ns}tab": "\t", f"{ns}br": "\n", f"{ns}cr": "\n"}
    paragraphs = [
        "".join((node.text or "") if node.tag == f"{ns}t" else marks.get(node.tag, "") for node in p.iter())
        for p in root.iter(f"{ns}p")
    ]
    return "\n\n".join(p for p in paragraphs if p.strip())


def _title(text: str) -> str | None:
    lines = [line.strip() for line in text.split("\n")]
    for i, line in enumerate(lines):
        if not line or _BOILERPLATE.match(line) or (find_date(line) and len(line) < 80):
            continue
        title = line
        # A title in capitals is often broken over several lines by the converter.
        while title.isupper() and i + 1 < len(lines) and lines[i + 1] and lines[i + 1].isupper():
            i += 1
            title = f"{title} {lines[i]}"
        return squash(title).strip(" .")
    return None


def parse_document(text: str, *, source: str, data: bytes, encoding: str) -> Document:
    """Build a :class:`Document` from already decoded text."""
    text = clean_text(text)
    head = text[:600]
    number = _NUMBER.search(head)
    return Document(
        doc_id=Path(source).stem,
        source=source,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        title=_title(text),
        date=find_date(head),
        number=number.group(1) if number else None,
    )


def read_document(path: Path) -> Document:
    """Read one file (plain text in any common encoding, HTML or DOCX).

    Raises :class:`ReadError` with the reason when the file is not a readable press release.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot open ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ReadError(path, "empty file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            text, encoding = docx_to_text(path), "docx"
        else:
            text, encoding = decode(data)
            if suffix in {".html", ".htm"} or re.match(r"\s*(<!doctype html|<html)", text[:200], re.I):
                text = html_to_text(text)
    except (ValueError, zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ReadError(path, str(exc) if isinstance(exc, ValueError) else f"not a valid DOCX ({exc})") from exc
    if len(text) > settings.max_chars:
        raise ReadError(path, f"too long for a press release ({len(text):,} characters; limit {settings.max_chars:,})")
    if len(re.findall(r"(?<!\S)[^\W\d_]{2,}[,.;:]?(?!\S)", text)) < 5:
        raise ReadError(path, "no readable text (no words)")
    document = parse_document(text, source=path.name, data=data, encoding=encoding)
    url, retrieved = provenance(path)
    return replace(document, url=url, retrieved=retrieved) if url else document


def provenance(path: Path) -> tuple[str | None, dt.datetime | None]:
    """The URL a file was fetched from and when, from the ``fetched.json`` beside it."""
    manifest = path.with_name(MANIFEST)
    try:
        entry = _manifest(manifest, manifest.stat().st_mtime_ns).get(path.name) or {}
        retrieved = dt.datetime.fromisoformat(entry["retrieved"]) if entry.get("retrieved") else None
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None, None
    return entry.get("url") or None, retrieved


@lru_cache(maxsize=8)
def _manifest(path: Path, mtime_ns: int) -> dict[str, dict[str, str]]:
    """A folder's ``fetched.json``, read once per version of it (not once per file it lists)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def iter_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and readable files found below folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path
