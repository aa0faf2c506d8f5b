"""Reading: encodings, scraping debris, metadata, HTML and DOCX, unreadable files."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from imsskg.lang.dates import MONTHS, read_date
from imsskg.lang.dates import find_date as parse_date
from imsskg.read import ReadError, clean_text, decode, read_document

TEXT = (
    "Ciudad de México a 29 de noviembre de 2018.\nNo. 306/2018.\n\nLA SECRETARÍA DE SALUD INFORMA\n\nTexto del boletín."
)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_read_detects_encoding(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "b.txt"
    path.write_bytes(TEXT.encode(codec))
    document = read_document(path)
    assert "SECRETARÍA" in document.text
    assert document.date == dt.date(2018, 11, 29)
    assert document.number == "306/2018"
    assert document.title == "LA SECRETARÍA DE SALUD INFORMA"


def test_read_strips_conversion_debris_and_markdown() -> None:
    assert clean_text("[bookmark: _GoBack]Informó **Zoé Robledo**, director") == "Informó Zoé Robledo, director"
    assert clean_text("línea\r\nsiguiente\x07") == "línea\nsiguiente "


def test_read_title_in_capitals_spans_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(" No. 1/2020.\n\nENTREGAMOS UN IMSS \nFORTALECIDO: DIRECTOR\n\n· Viñeta", encoding="utf-8")
    assert read_document(path).title == "ENTREGAMOS UN IMSS FORTALECIDO: DIRECTOR"


def test_read_html_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text(
        "<html><head><script>alert(1)</script></head><body><h1>Abre el IMSS un hospital</h1>"
        "<p>El 3 de marzo de 2021 abrió el Hospital General de Zona No. 8 de Mazatlán.</p></body></html>",
        encoding="utf-8",
    )
    document = read_document(path)
    assert "alert" not in document.text
    assert document.title == "Abre el IMSS un hospital"
    assert document.date == dt.date(2021, 3, 3)


def test_read_docx_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "d.docx"
    body = "".join(
        f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in ("Boletín del ISSSTE", "Texto de prueba del boletín.")
    )
    xml = f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", xml)
    assert read_document(path).text == "Boletín del ISSSTE\n\nTexto de prueba del boletín."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"   \n", "empty file"),
        (b"\x00\x01\x02\x00" * 50, "binary"),
        (b"12 34 56", "no readable"),
        (b"\x00\xff\x00\xfe" * 64, "no readable"),
    ],
)
def test_read_reports_unreadable_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=reason) as info:
        read_document(path)
    assert info.value.path == path


def test_read_reports_broken_docx(tmp_path: Path) -> None:
    path = tmp_path / "roto.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip file, just text pretending")
    with pytest.raises(ReadError, match="DOCX"):
        read_document(path)


@given(st.dates(min_value=dt.date(1943, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(["de", "del"]))
def test_read_parse_date_round_trips(date: dt.date, joiner: str) -> None:
    month = next(m for m, n in MONTHS.items() if n == date.month and m != "setiembre")
    assert parse_date(f"Ciudad de México, a {date.day} de {month} {joiner} {date.year}.") == date


@given(st.binary(max_size=300))
def test_read_decode_never_crashes(data: bytes) -> None:
    if 0 in data and data.count(0) <= len(data) // 3:
        with pytest.raises(ValueError, match="binary"):
            decode(data)
        return
    try:
        text, codec = decode(data)
    except ValueError:
        return  # NUL bytes in no UTF-16 pattern: reported as binary
    assert isinstance(text, str)
    assert codec


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(range(5)))
def test_read_a_date_in_any_form_users_write_it(date: dt.date, form: int) -> None:
    month = next(m for m, n in MONTHS.items() if n == date.month and m != "setiembre")
    written = [
        date.isoformat(),
        f"{date.year}-{date.month}-{date.day}",
        f"{date.day:02d}/{date.month:02d}/{date.year}",
        f"{date.day}-{date.month}-{date.year}",
        f"{date.day}{'°' if date.day == 1 else ''} de {month} de {date.year}",
    ][form]
    assert read_date(written) == date


@pytest.mark.parametrize("text", ["notadate", "31/02/2019", "2019-13-01", "mañana", "", "1 de febrero"])
def test_read_a_date_refuses_what_is_not_one(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        read_date(text)


PAGES = Path(__file__).resolve().parent / "pages"


@pytest.mark.parametrize(
    ("page", "title", "date", "kept", "left_out"),
    [
        ("gob-mx.html", "Inaugura IMSS la Unidad de Medicina Familiar No. 8 en Zacatlán, Puebla", dt.date(2025, 3, 12),
         "Medicina Familiar | 10", ["Chetumal", "Transparencia", "Trámites", "Búsqueda"]),
        ("imss-gob-mx.html", "Con el programa IMSS-Bienestar, llega la atención médica a comunidades de Guerrero",
         dt.date(2024, 6, 4), "Zoé Robledo", ["Sonora", "Mejora Regulatoria", "Reforma 476", "analytics"]),
        ("periodico-a.html", "Abren hospital del ISSSTE en Tapachula", dt.date(2023, 8, 8), "Pedro Zenteno Santaella",
         ["Jaguares", "Universidad Autónoma", "Plaza Galerías", "Grupo Editorial"]),
        ("periodico-b.html", "Nombran nueva delegada del IMSS en Yucatán", dt.date(2021, 2, 15), "Mariana Pech Canul",
         ["Valladolid", "Juan Pérez", "Fundación Diario", "Suscríbete"]),
    ],
)  # fmt: skip
def test_read_html_pages_keep_the_article_only(
    page: str, title: str, date: dt.date, kept: str, left_out: list[str]
) -> None:
    document = read_document(PAGES / page)
    assert document.title == title
    assert document.date == date
    assert kept in document.text
    assert [word for word in left_out if word in document.text] == []


def test_read_html_page_chrome_gives_no_entity(rules: Language) -> None:
    from imsskg.extract.pipeline import extract

    document = read_document(PAGES / "gob-mx.html")
    [x] = extract([document], rules)
    assert sorted((e.type, e.name) for e in x.entities) == [
        ("City", "Zacatlán"),
        ("Hospital", "Unidad de Medicina Familiar No. 8 de Zacatlán"),
        ("Organization", "Instituto Mexicano del Seguro Social"),
        ("Organization", "Órgano de Operación Administrativa Desconcentrada del IMSS en Puebla"),
        ("Person", "Laura Méndez Cruz"),
        ("State", "Puebla"),
    ]  # nothing from the navigation, the related news or the footer
    assert document.number == "214/2025"


def test_read_docx_keeps_breaks_tabs_tables_and_the_header(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Boletín No. 123/2024"
    document.add_paragraph("Visita del IMSS")
    paragraph = document.add_paragraph("El director general del IMSS,")
    paragraph.add_run().add_break()
    paragraph.add_run("Zoé Robledo,\tvisitó Puebla el 1° de diciembre de 2023.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Servicio", "Consultas"), ("Urgencias", "54 mil 335")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "boletin.docx"
    document.save(str(path))
    read = read_document(path)
    assert "IMSS,\nZoé Robledo,\tvisitó Puebla" in read.text
    assert "Urgencias | 54 mil 335" in read.text
    assert read.number == "123/2024"
    assert read.date == dt.date(2023, 12, 1)
