"""The extraction rules on sentences written in the style of health-sector bulletins.

None of these sentences is in the sample corpus: they check that each rule is a general rule
about Spanish bulletins, not a patch for one text.
"""

from __future__ import annotations

import pytest
from imsskg.extract.pipeline import extract
from spacy.language import Language

from imsskg.model import Extraction
from imsskg.read import parse_document


def run(nlp: Language, text: str) -> Extraction:
    document = parse_document(text, source="t.txt", data=text.encode(), encoding="utf-8")
    return next(extract([document], nlp))


def names(x: Extraction, kind: str) -> set[str]:
    return {e.name for e in x.entities if e.type == kind}


def posts(x: Extraction) -> set[tuple[str, str, str | None]]:
    return {(r.subject, r.obj, r.organization) for r in x.relations if r.predicate == "holdsPost"}


def pairs(x: Extraction, predicate: str) -> set[tuple[str, str]]:
    return {(r.subject, r.obj) for r in x.relations if r.predicate == predicate}


@pytest.mark.parametrize(
    ("text", "person", "post", "org"),
    [
        ("La directora general del ISSSTE, Martha Elena García Hernández, inauguró la clínica.",
         "person/martha-elena-garcia", "directora general", "org/issste"),
        ("Ernesto Ramírez Soto, secretario general del Sindicato Nacional de Trabajadores del Seguro Social, asistió.",
         "person/ernesto-ramirez", "secretario general", "org/sntss"),
        ("Al evento acudió la gobernadora de Colima, Indira Vizcaíno Silva.",
         "person/indira-vizcaino", "gobernadora de Colima", None),
        ("El titular de la Secretaría de Salud, Jorge Alcocer Varela, presentó el informe.",
         "person/jorge-alcocer", "titular", "org/ssa"),
        ("Informó el director general Germán Martínez Cázares en conferencia.",
         "person/german-martinez", "director general", None),
    ],
)  # fmt: skip
def test_rules_post_in_apposition(rules: Language, text: str, person: str, post: str, org: str | None) -> None:
    x = run(rules, text)
    assert (person, post, org) in posts(x)


def test_rules_post_after_name_without_comma_before_org_acronym(rules: Language) -> None:
    x = run(rules, "El Director General del Instituto Mexicano del Seguro Social (IMSS), Germán Martínez, dijo.")
    assert ("person/german-martinez", "Director General", "org/imss") in posts(x)


def test_rules_bare_post_takes_the_organization_the_text_gives_it(rules: Language) -> None:
    x = run(rules, "El director general del ISSSTE encabezó la gira. Después habló el director general Pedro Zenteno.")
    assert ("person/pedro-zenteno", "director general", "org/issste") in posts(x)


def test_rules_representation(rules: Language) -> None:
    text = (
        "En representación de la secretaria de Salud, Ana Lucía Torres Peña, el subsecretario Hugo López Gatell "
        "inauguró la unidad."
    )
    x = run(rules, text)
    assert ("person/hugo-lopez", "person/ana-lucia-torres") in pairs(x, "represents")


def test_rules_surname_and_capitals_are_the_same_person(rules: Language) -> None:
    x = run(
        rules, "RECONOCE MARTHA GARCÍA A ENFERMERAS\n\nLa doctora Martha García Luna habló. García Luna agregó que sí."
    )
    person = next(e for e in x.entities if e.type == "Person")
    assert person.name == "Martha García Luna"
    assert {"MARTHA GARCÍA", "García Luna"} <= {m.text for m in person.mentions}


def test_rules_two_people_sharing_a_surname_stay_apart(rules: Language) -> None:
    x = run(rules, "Participaron Laura Pérez Gómez y Ricardo Pérez Ruiz. Pérez dijo que no.")
    assert names(x, "Person") == {"Laura Pérez Gómez", "Ricardo Pérez Ruiz"}
    assert all(m.text != "Pérez" for e in x.entities for m in e.mentions)


@pytest.mark.parametrize(
    ("text", "hospital", "place"),
    [
        ("Se remodeló el Hospital General de Zona No. 8 de Mazatlán, Sinaloa.",
         "Hospital General de Zona No. 8 de Mazatlán", "city/mazatlan"),
        ("Los derechohabientes de la UMF 31 en Culiacán recibieron vacunas.",
         "Unidad de Medicina Familiar No. 31 de Culiacán", "city/culiacan"),
        ("El Hospital Rural número 12 de Tlaxiaco atendió partos.",
         "Hospital Rural No. 12 de Tlaxiaco", "city/tlaxiaco"),
        ("Médicos del Hospital General de Subzona “Dr. Juan Pérez” en Tecate ofrecieron consultas.",
         "Hospital General de Subzona No. 1 “Dr. Juan Pérez” de Tecate", None),
    ],
)  # fmt: skip
def test_rules_medical_units(rules: Language, text: str, hospital: str, place: str | None) -> None:
    x = run(rules, text)
    found = next((e for e in x.entities if e.type == "Hospital"), None)
    assert found is not None
    if "No. 1 " in hospital:  # no number in the text: the honoree and the place name the unit
        assert found.name == "Hospital General de Subzona “Dr. Juan Pérez” de Tecate"
        return
    assert found.name == hospital
    assert (found.key, place) in pairs(x, "locatedIn")


def test_rules_units_counted_in_plural_are_not_entities(rules: Language) -> None:
    x = run(rules, "El IMSS cuenta con mil 531 Unidades de Medicina Familiar y 251 Hospitales Generales de Zona.")
    assert names(x, "Hospital") == set()


def test_rules_acronym_defined_in_parentheses(rules: Language) -> None:
    x = run(rules, "La Coordinación de Vigilancia Epidemiológica (CVE) informó. La CVE emitió un aviso.")
    org = next(e for e in x.entities if e.type == "Organization")
    assert org.name == "Coordinación de Vigilancia Epidemiológica"
    assert [m.text for m in org.mentions].count("CVE") == 2


@pytest.mark.parametrize("spelling", ["IMSS-BIENESTAR", "IMSS Bienestar", "IMSS- Bienestar", "IMSS–Bienestar"])
def test_rules_program_spellings_are_one_program(rules: Language, spelling: str) -> None:
    x = run(rules, f"El programa {spelling} llega a más comunidades.")
    assert [e.key for e in x.entities if e.type == "Program"] == ["program/imss-bienestar"]


def test_rules_programs_by_their_introducing_word(rules: Language) -> None:
    x = run(
        rules, "El ISSSTE puso en marcha la estrategia Salud Digital Comunitaria y la plataforma citas.issste.gob.mx."
    )
    assert {"Salud Digital Comunitaria", "citas.issste.gob.mx"} <= names(x, "Program")
    assert ("program/salud-digital-comunitaria", "org/issste") in pairs(x, "partOf")


def test_rules_program_operates_in_state(rules: Language) -> None:
    x = run(rules, "Opera IMSS-Bienestar en Nayarit con 30 hospitales.")
    assert ("program/imss-bienestar", "state/18") in pairs(x, "operatesIn")


@pytest.mark.parametrize(
    ("text", "city", "state"),
    [
        ("La clínica de Tapachula, Chiapas, abrió.", "Tapachula", "state/07"),
        ("Brigadas llegaron a San Juan Bautista Tuxtepec, Oaxaca.", "San Juan Bautista Tuxtepec", "state/20"),
        ("Se inauguró en Ciudad Obregón, Sonora.", "Ciudad Obregón", "state/26"),
    ],
)
def test_rules_city_then_state(rules: Language, text: str, city: str, state: str) -> None:
    x = run(rules, text)
    assert city in names(x, "City")
    assert any(obj == state for _, obj in pairs(x, "locatedIn"))


def test_rules_state_variants_and_demonyms(rules: Language) -> None:
    x = run(rules, "Visitó la CDMX, el Edomex y Coahuila; el gobernador poblano asistió.")
    assert {e.key for e in x.entities if e.type == "State"} == {"state/09", "state/15", "state/05"}


def test_rules_state_name_inside_a_person_name_is_not_a_state(rules: Language) -> None:
    x = run(rules, "La doctora Rosa María Guerrero Hidalgo dirigió la jornada en Morelos.")
    assert {e.key for e in x.entities if e.type == "State"} == {"state/17"}


def test_rules_capital_named_as_city(rules: Language) -> None:
    x = run(rules, "El nuevo hospital de la ciudad de Puebla abrirá en 2025.")
    assert "Puebla" in names(x, "City")
    assert not names(x, "State")


def test_rules_reports_with_years_are_not_programs(rules: Language) -> None:
    x = run(rules, "Presentó el Programa de Actividades 2024-2025 y el Informe de Labores.")
    assert names(x, "Program") == set()


def test_rules_source_credit_is_an_organization(rules: Language) -> None:
    x = run(rules, "El IMSS abrió un hospital.\n\nFuente: La Jornada\n")
    assert "La Jornada" in names(x, "Organization")


def test_rules_run_with_the_statistical_model(nlp: Language) -> None:
    x = run(nlp, "Durante la gira, Tuffic Ortega Soto, coordinador de Abasto del IMSS, recorrió almacenes.")
    assert "Tuffic Ortega Soto" in names(x, "Person")


def test_rules_lowercase_post_is_not_the_body_it_heads(rules: Language) -> None:
    x = run(rules, "Habló la secretaria de Salud estatal, Rocío Medina Peña, sobre el dengue.")
    assert "Secretaría de Salud" not in names(x, "Organization")
    assert ("person/rocio-medina", "secretaria de Salud estatal", None) in posts(x)


def test_rules_cabinet_post_heads_the_body_the_text_names(rules: Language) -> None:
    text = (
        "Lo anunció la Secretaría de Bienestar. La secretaria de Bienestar, Ariadna Montiel Reyes, firmó el convenio."
    )
    x = run(rules, text)
    assert ("person/ariadna-montiel", "secretaria de Bienestar", "org/secretaria-de-bienestar") in posts(x)


def test_rules_post_of_a_program(rules: Language) -> None:
    x = run(rules, "La directora general de IMSS-Bienestar, Laura Cortés Ruiz, visitó Tlaxcala.")
    assert ("person/laura-cortes", "directora general", "program/imss-bienestar") in posts(x)


def test_rules_unit_named_in_short_is_the_fuller_one(rules: Language) -> None:
    x = run(rules, "Abre la UMF No. 64 de Tequesquináhuac. La UMF No. 64 atenderá a 90 mil personas.")
    units = [e for e in x.entities if e.type == "Hospital"]
    assert [u.name for u in units] == ["Unidad de Medicina Familiar No. 64 de Tequesquináhuac"]
    assert len(units[0].mentions) == 2


def test_rules_country_in_a_unit_name_is_not_a_city(rules: Language) -> None:
    x = run(rules, "Pacientes del Hospital Infantil de México Federico Gómez recibieron juguetes.")
    assert names(x, "City") == set()
    assert names(x, "Hospital") == {"Hospital Infantil de México Federico Gómez"}


def test_rules_program_operates_in_listed_states(rules: Language) -> None:
    x = run(rules, "PrevenIMSS opera en 12 entidades, entre ellas Colima, Nayarit y Sinaloa.")
    assert {o for s, o in pairs(x, "operatesIn")} == {"state/06", "state/18", "state/25"}


def test_rules_state_office_of_an_institute(rules: Language) -> None:
    x = run(rules, "El delegado de la Oficina de Representación del ISSSTE en Sonora, Juan Pablo Ortiz Ríos, habló.")
    assert "Oficina de Representación del ISSSTE en Sonora" in names(x, "Organization")
    assert any(o == "org/issste" for _, o in pairs(x, "partOf"))


def test_rules_municipality(rules: Language) -> None:
    x = run(rules, "La brigada visitó el municipio de San Juan Cancuc y la alcaldía Iztapalapa.")
    assert {"San Juan Cancuc", "Iztapalapa"} <= names(x, "City")


def test_rules_program_name_with_por(rules: Language) -> None:
    x = run(rules, "Continúa la estrategia Salud Casa por Casa en la capital.")
    assert "Salud Casa por Casa" in names(x, "Program")


def test_rules_post_with_article_after_a_name_opens_a_new_subject(rules: Language) -> None:
    x = run(rules, "Lo anunció Rosa Icela Vargas, el director general del ISSSTE agregó que sí.")
    assert posts(x) == set()
    x = run(rules, "Lo anunció Rosa Icela Vargas, la directora general del ISSSTE, en Toluca.")
    assert ("person/rosa-icela", "directora general", "org/issste") in posts(x)


def test_rules_person_with_two_posts(rules: Language) -> None:
    text = (
        "Habló el representante del Sector Patronal, Luis Fernando Haro Vega, presidente de la Coparmex, en la sesión."
    )
    assert {p[1] for p in posts(run(rules, text))} == {"representante del Sector Patronal", "presidente"}


@pytest.mark.parametrize(
    ("text", "person", "post", "org"),
    [
        ("Informó el delegado del IMSS en Durango, Mtro. Jesús Ramírez Solís, que abrirá la UMF 49.",
         "person/jesus-ramirez", "delegado", "org/imss"),
        ("La Lic. Gabriela Ortiz Beltrán, titular del Órgano de Operación Administrativa Desconcentrada (OOAD) "
         "Jalisco, dijo.",
         "person/gabriela-ortiz", "titular", "org/ooad-imss-14"),
        ("El Dr. Víctor Hugo Borja Aburto, director de Prestaciones Médicas del IMSS, presentó el plan.",
         "person/victor-hugo-borja", "director de Prestaciones Médicas del IMSS", None),
    ],
)  # fmt: skip
def test_rules_posts_with_places_and_honorifics(
    rules: Language, text: str, person: str, post: str, org: str | None
) -> None:
    found = posts(run(rules, text))
    assert any(s == person and o == org and p.lower().startswith(post.lower()) for s, p, o in found), found


def test_rules_a_model_that_is_not_installed_is_an_error() -> None:
    from imsskg.extract.pipeline import ModelError, load_pipeline

    with pytest.raises(ModelError, match="es_no_such_model"):
        load_pipeline("es_no_such_model")
    assert "imsskg_entities" in load_pipeline("none").pipe_names  # the rules alone, by choice


def test_rules_unit_in_a_municipality_and_its_short_names(rules: Language) -> None:
    text = (
        "Abre IMSS Unidad de Medicina Familiar en Zapotlanejo\n\n"
        "El IMSS inauguró la Unidad de Medicina Familiar (UMF) No. 201 en el municipio de Zapotlanejo, Jalisco. "
        "La UMF 201 tendrá 10 consultorios."
    )
    x = run(rules, text)
    assert names(x, "Hospital") == {"Unidad de Medicina Familiar No. 201 de Zapotlanejo"}
    assert ("city/zapotlanejo", "state/14") in pairs(x, "locatedIn")


def test_rules_national_medical_centre_region_is_not_a_city(rules: Language) -> None:
    x = run(rules, "Llegó al Hospital de Especialidades del Centro Médico Nacional del Noreste en Monterrey.")
    assert names(x, "City") == {"Monterrey"}


def test_rules_short_name_of_a_municipality_is_the_same_city(rules: Language) -> None:
    x = run(rules, "Visitó Tlaquepaque, Jalisco. En San Pedro Tlaquepaque, Jalisco, abrió una clínica.")
    assert len([e for e in x.entities if e.type == "City"]) == 2  # different first words: not merged
    x = run(rules, "Se visitó Tula de Allende, Hidalgo. El Hospital General de Tula atenderá a 50 mil personas.")
    assert names(x, "City") == {"Tula de Allende"}


def test_rules_post_with_an_acronym_inside_its_complement(rules: Language) -> None:
    text = "Asistió el titular de la Coordinación de Abasto (CA) del IMSS en Sonora, Raúl Soto Ibarra, a la firma."
    assert any(s == "person/raul-soto" for s, _, _ in posts(run(rules, text)))


# -- places from the GeoNames gazetteer, units named by their place --------------------------


def test_rules_places_after_a_preposition_and_along_their_list(rules: Language) -> None:
    x = run(rules, "La caravana de la salud recorrió Zacatlán, Chignahuapan y Tetela de Ocampo durante la semana.")
    assert names(x, "City") == set()  # no preposition: a list of names alone is not enough
    x = run(rules, "La caravana de la salud llegará a Zacatlán, Chignahuapan y Tetela de Ocampo.")
    assert names(x, "City") == {"Zacatlán", "Chignahuapan", "Tetela de Ocampo"}


def test_rules_a_lone_given_name_is_not_a_place_without_its_state(rules: Language) -> None:
    assert names(run(rules, "La jornada se realizó en Guadalupe con éxito."), "City") == set()
    assert names(run(rules, "La jornada se realizó en Guadalupe, Nuevo León."), "City") == {"Guadalupe"}


def test_rules_a_unit_named_by_its_operator_and_place(rules: Language) -> None:
    x = run(rules, "Inauguraron el Hospital Comunitario IMSS Bienestar en Tlacotalpan, Veracruz.")
    [unit] = [e for e in x.entities if e.type == "Hospital"]
    assert "Tlacotalpan" in unit.name
    assert (unit.key, "city/tlacotalpan") in pairs(x, "locatedIn")
    assert (unit.key, "program/imss-bienestar") in pairs(x, "partOf")


def test_rules_a_unit_named_in_lower_case_by_type_and_known_place(rules: Language) -> None:
    x = run(rules, "El secretario recorrió el hospital general de Huejutla de Reyes y sus quirófanos.")
    assert names(x, "Hospital") == {"Hospital General de Huejutla de Reyes"}
    assert names(x, "City") == {"Huejutla de Reyes"}
    assert names(run(rules, "Los hospitales generales de la región recibieron insumos."), "Hospital") == set()


def test_rules_a_units_size_is_not_its_place(rules: Language) -> None:
    x = run(rules, "Avanza la obra del Hospital General de Zona (HGZ) de 90 camas en Tizimín.")
    assert names(x, "City") == {"Tizimín"}
    assert names(x, "Hospital") == {"Hospital General de Zona de Tizimín"}


def test_rules_a_clinic_named_after_its_city_is_there(rules: Language) -> None:
    x = run(rules, "El ISSSTE remodeló la Clínica Hospital “Zamora”, en Michoacán.")
    [unit] = [e for e in x.entities if e.type == "Hospital"]
    assert (unit.key, "city/zamora") in pairs(x, "locatedIn")
    assert (unit.key, "state/16") in pairs(x, "locatedIn")


def test_rules_a_specialty_is_not_the_units_place(rules: Language) -> None:
    x = run(rules, "Se construirá el Hospital General de Especialidades de Tuxtepec.")
    assert names(x, "City") == {"Tuxtepec"}


# -- organizations and people ------------------------------------------------------------------


def test_rules_the_imss_organ_of_a_state_in_full_or_by_acronym_is_one(rules: Language) -> None:
    x = run(rules, "La titular del Órgano de Operación Administrativa Desconcentrada (OOAD) del IMSS en Sonora, "
                   "Ana Ruiz Soto, presidió el Consejo Consultivo del OOAD Sonora.")  # fmt: skip
    ooads = [e for e in x.entities if e.key == "org/ooad-imss-26"]
    assert len(ooads) == 1
    assert ("person/ana-ruiz", "titular", "org/ooad-imss-26") in posts(x)


def test_rules_a_body_named_with_its_institution_belongs_to_it(rules: Language) -> None:
    x = run(rules, "La Coordinación de Abasto del ISSSTE licitó medicamentos.")
    assert "Coordinación de Abasto" in names(x, "Organization")
    assert ("org/coordinacion-de-abasto", "org/issste") in pairs(x, "partOf")
    x = run(rules, "El Sindicato Nacional de Trabajadores del Seguro Social firmó.")  # a name, not a body of the IMSS
    assert "Sindicato Nacional de Trabajadores del Seguro Social" in names(x, "Organization")


def test_rules_a_kind_of_unit_or_the_head_office_is_not_an_organization(rules: Language) -> None:
    x = run(rules, "La Unidad de Medicina Familiar es la puerta de entrada; renunció a la Dirección General del IMSS.")
    assert names(x, "Organization") == {"Instituto Mexicano del Seguro Social"}


def test_rules_a_misspelt_name_defined_by_a_known_acronym_is_that_organization(rules: Language) -> None:
    x = run(rules, "El Instituto de Seguridad Social de los Trabajadores del Estado (ISSSTE) abrió la clínica.")
    assert names(x, "Organization") == {"Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado"}


def test_rules_people_named_after_a_title(rules: Language) -> None:
    x = run(rules, "Fue designada la Dra. Itzel Naranjo Cuevas; la recibió el Maestro Saúl Ibarra Gil.")
    assert names(x, "Person") == {"Itzel Naranjo Cuevas", "Saúl Ibarra Gil"}


def test_rules_a_post_in_a_body_named_for_a_purpose(rules: Language) -> None:
    x = run(rules, "El director general del Instituto de Salud para el Bienestar (INSABI), Omar Ruiz Díaz, habló.")
    assert ("person/omar-ruiz", "director general", "org/insabi") in posts(x)


# -- relations that generalise -----------------------------------------------------------------


def test_rules_an_institution_that_opens_a_unit_runs_it(rules: Language) -> None:
    x = run(rules, "El ISSSTE inauguró la Clínica de Medicina Familiar No. 12 en Cuernavaca.")
    [unit] = [e.key for e in x.entities if e.type == "Hospital"]
    assert (unit, "org/issste") in pairs(x, "partOf")
    x = run(rules, "El ISSSTE firmó un convenio; el municipio inauguró la Clínica de Medicina Familiar No. 12.")
    assert pairs(x, "partOf") == set()  # another clause, another subject


def test_rules_a_program_operates_where_its_units_are(rules: Language) -> None:
    x = run(rules, "Abrió sus puertas el Hospital Rural IMSS Bienestar en Tlacotalpan, Veracruz.")
    assert ("program/imss-bienestar", "state/30") in pairs(x, "operatesIn")


def test_rules_the_organ_of_a_state_belongs_to_the_imss(rules: Language) -> None:
    x = run(rules, "El OOAD IMSS Jalisco informó del avance.")
    assert ("org/ooad-imss-14", "org/imss") in pairs(x, "partOf")


def test_rules_a_post_then_a_title_then_the_name(rules: Language) -> None:
    x = run(rules, "Habló la titular de la Coordinación de Salud Digital, doctora Elena Marín Cuevas, en la sesión.")
    assert ("person/elena-marin", "titular", "org/coordinacion-de-salud-digital") in posts(x)
    assert names(x, "Person") == {"Elena Marín Cuevas"}


def test_rules_a_territorial_program_in_the_one_state_of_a_sentence_about_its_units(rules: Language) -> None:
    x = run(rules, "En Oaxaca, el Programa IMSS-Bienestar inauguró dos unidades médicas rurales.")
    assert ("program/imss-bienestar", "state/20") in pairs(x, "operatesIn")
    x = run(rules, "El gobernador de Jalisco dijo que no firmará el convenio de IMSS-Bienestar para sus hospitales.")
    assert pairs(x, "operatesIn") == set()  # said not to
    x = run(rules, "Tras reunirse en Oaxaca y Chiapas, IMSS-Bienestar anunció nuevas clínicas.")
    assert pairs(x, "operatesIn") == set()  # two states: which one is not said


def test_rules_datelines_place_nothing(rules: Language) -> None:
    x = run(rules, "Tepic, Nayarit, 3 de mayo de 2024.- El IMSS abrió la Unidad de Medicina Familiar No. 5.")
    assert ("city/tepic", "state/18") not in pairs(x, "locatedIn")
    x = run(rules, "El IMSS abrió una clínica en Tepic, Nayarit, con 20 consultorios.")
    assert ("city/tepic", "state/18") in pairs(x, "locatedIn")
    x = run(rules, "Acaponeta, Nayarit (Agencia).- Se presentó el informe anual.")
    assert pairs(x, "locatedIn") == set()
