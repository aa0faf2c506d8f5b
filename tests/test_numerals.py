"""Spanish numerals and amounts: a table of real-style phrases, and property tests that write
random numbers in each bulletin style and read them back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from imsskg.extract.amounts import find_amounts
from imsskg.extract.numerals import parse_number

PHRASES = [
    ("52,387 millones de pesos", 52_387_000_000, "MXN"),
    ("mil 531 Unidades de Medicina Familiar", 1531, "Unidades de Medicina Familiar"),
    ("22 millones 643 mil 638 trabajadores asegurados", 22_643_638, "trabajadores asegurados"),
    ("cinco millones de incapacidades", 5_000_000, "incapacidades"),
    ("dos mil 852 cirugías", 2852, "cirugías"),
    ("trescientos millones de trámites", 300_000_000, "trámites"),
    ("103 mil 714 millones de pesos", 103_714_000_000, "MXN"),
    ("83.2 millones de mexicanos", 83_200_000, "mexicanos"),
    ("95 por ciento", 95, "%"),
    ("12%", 12, "%"),
    ("382 mil millones de pesos (mdp)", 382_000_000_000, "MXN"),
    ("32 mil mdp", 32_000_000_000, "MXN"),
    ("15.2 mdp", 15_200_000, "MXN"),
    ("1.531 consultorios", 1531, "consultorios"),
    ("4 mil 759 Módulos de Atención Respiratoria", 4759, "Módulos de Atención Respiratoria"),
    ("404 mil 118 consultas", 404_118, "consultas"),
    ("832 partos", 832, "partos"),
    ("un millón 53 mil 670 registros patronales", 1_053_670, "registros patronales"),
    ("20 millones 620 mil 148 puestos de trabajo", 20_620_148, "puestos"),
    ("5.3 por ciento", Decimal("5.3"), "%"),
    ("mil 500 millones de pesos", 1_500_000_000, "MXN"),
    ("7.6 mil certificaciones", 7600, "certificaciones"),
    ("11 mil créditos fiscales", 11_000, "créditos fiscales"),
    ("dos mil 836 orientaciones telefónicas", 2836, "orientaciones telefónicas"),
    ("42 mil correos electrónicos", 42_000, "correos electrónicos"),
    ("tres mil 622 Unidades Médicas Rurales", 3622, "Unidades Médicas Rurales"),
    ("45 Centros de Atención Rural Obstétrica", 45, "Centros de Atención Rural Obstétrica"),
    ("56 mil 753 camas", 56_753, "camas"),
    ("mil 119 quirófanos", 1119, "quirófanos"),
    ("18 mil 774 consultorios", 18_774, "consultorios"),
    ("10,814 millones de pesos", 10_814_000_000, "MXN"),
    ("26,573 millones de pesos", 26_573_000_000, "MXN"),
    ("17 mil millones de pesos", 17_000_000_000, "MXN"),
    ("10 mil 500 millones de pesos", 10_500_000_000, "MXN"),
    ("80 millones de derechohabientes", 80_000_000, "derechohabientes"),
    ("53.2 millones de personas", 53_200_000, "personas"),
    ("13 mil 968 Centros de Salud", 13_968, "Centros de Salud"),
    ("442 mil 420 consultas", 442_420, "consultas"),
    ("54.1 millones de expedientes", 54_100_000, "expedientes"),
    ("mil 796 millones de recetas", 1_796_000_000, "recetas"),
    ("723 millones de notas médicas", 723_000_000, "notas médicas"),
    ("$1,250 millones", 1_250_000_000, "MXN"),
    ("1,200 millones de dólares", 1_200_000_000, "USD"),
    ("300 millones de euros", 300_000_000, "EUR"),
    ("850 millones de pesos", 850_000_000, "MXN"),
    ("mil 200 millones de pesos", 1_200_000_000, "MXN"),
    ("35 millones de dosis", 35_000_000, "dosis"),
    ("treinta y cinco camas", 35, "camas"),
    ("ciento veinte médicos", 120, "médicos"),
    ("doscientos cincuenta hospitales", 250, "hospitales"),
    ("quinientas enfermeras", 500, "enfermeras"),
    ("diez mil vacunas", 10_000, "vacunas"),
    ("veintidós estados", 22, "estados"),
    ("1,234,567 consultas", 1_234_567, "consultas"),
    ("2 mil millones de pesos", 2_000_000_000, "MXN"),
    ("3.5 billones de pesos", 3_500_000_000_000, "MXN"),
    ("1.5 mmdp", 1_500_000_000, "MXN"),
    ("40 por ciento", 40, "%"),
    ("100%", 100, "%"),
    ("244.7 pesos", Decimal("244.7"), "MXN"),
    ("60 camas censables", 60, "camas censables"),
    ("14 hospitales", 14, "hospitales"),
    ("280 centros de salud", 280, "centros"),
]


@pytest.mark.parametrize(("phrase", "value", "unit"), PHRASES)
def test_numerals_real_style_phrases(phrase: str, value: int | Decimal, unit: str) -> None:
    found = find_amounts(f"Se informó que hay {phrase}.")
    assert len(found) == 1, found
    assert found[0].value == Decimal(value)
    assert found[0].unit == unit


def test_numerals_table_has_at_least_sixty_phrases() -> None:
    assert len(PHRASES) >= 60


@pytest.mark.parametrize(
    "text",
    ["en 2018 se informó", "el 29 de noviembre de 2018", "No. 306/2018", "COVID-19", "un total de", "las 24 horas"],
)
def test_numerals_years_dates_and_codes_are_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_numerals_elided_counted_noun_is_taken_from_the_sentence() -> None:
    found = find_amounts("Se otorgan 404 mil 118 consultas, de las cuales 54 mil 335 de Especialidades.")
    assert [(a.value, a.unit) for a in found] == [(404_118, "consultas"), (54_335, "consultas de Especialidades")]


def test_numerals_kind_and_purpose_of_investments() -> None:
    [a] = find_amounts("En equipamiento médico, la inversión fue de 10,814 millones de pesos para comprar tomógrafos.")
    assert (a.kind, a.purpose) == ("investment", "equipamiento médico")
    [b] = find_amounts("Se destinaron 850 millones de pesos para la remodelación de la clínica.")
    assert (b.kind, b.purpose) == ("investment", "la remodelación de la clínica")
    [c] = find_amounts("En un día típico se atienden 832 partos.")
    assert c.kind == "daily_average"


UNITS = ["", "un", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
TEENS = ["diez", "once", "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve"]
TWENTIES = ["veinte", "veintiún", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis",
            "veintisiete", "veintiocho", "veintinueve"]  # fmt: skip
TENS = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
HUNDREDS = ["", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
            "ochocientos", "novecientos"]  # fmt: skip


def words_below_1000(n: int) -> str:
    """Spanish words for 1..999, as bulletins write them."""
    if n == 100:
        return "cien"
    hundreds, rest = divmod(n, 100)
    parts = [HUNDREDS[hundreds]] if hundreds else []
    if rest >= 30:
        tens, unit = divmod(rest, 10)
        parts.append(TENS[tens] + (f" y {UNITS[unit]}" if unit else ""))
    elif rest >= 20:
        parts.append(TWENTIES[rest - 20])
    elif rest >= 10:
        parts.append(TEENS[rest - 10])
    elif rest:
        parts.append(UNITS[rest])
    return " ".join(parts)


def mixed(n: int) -> str:
    """The bulletin style: digits per group with the scale words ("22 millones 643 mil 638")."""
    millions, rest = divmod(n, 10**6)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append(f"{millions} {'millón' if millions == 1 else 'millones'}")
    if thousands:
        parts.append("mil" if thousands == 1 else f"{thousands} mil")
    if units:
        parts.append(str(units))
    return " ".join(parts)


def in_words(n: int) -> str:
    """Spanish words for 1..999,999."""
    thousands, units = divmod(n, 1000)
    parts = []
    if thousands:
        parts.append("mil" if thousands == 1 else f"{words_below_1000(thousands)} mil")
    if units:
        parts.append(words_below_1000(units))
    return " ".join(parts)


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_numerals_digits_with_either_separator(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", ".")) == n


@given(st.integers(min_value=1, max_value=999_999_999))
def test_numerals_mixed_bulletin_style(n: int) -> None:
    assert parse_number(mixed(n)) == n


@given(st.integers(min_value=2, max_value=999_999))  # "un" alone is read as an article
def test_numerals_words(n: int) -> None:
    assert parse_number(in_words(n)) == n


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=9))
def test_numerals_decimals_with_scale(whole: int, tenth: int) -> None:
    assert parse_number(f"{whole}.{tenth} millones") == Decimal(f"{whole}.{tenth}") * 10**6


@given(st.integers(min_value=2, max_value=999_999), st.sampled_from(["consultas", "camas", "partos"]))
def test_numerals_amounts_read_back_from_sentences(n: int, noun: str) -> None:
    [a] = find_amounts(f"El Instituto reportó {mixed(n)} {noun} en el año.")
    assert (a.value, a.unit) == (n, noun)
