"""Gazetteer and entity linker, with the real spaCy model (loaded once per session)."""

from __future__ import annotations

import pytest

import ckg_testdata as td
from careerkg.graph.gazetteer import load_gazetteer
from careerkg.graph.vocab import mint

QUESTIONS = {
    "What does a senior MLE earn in London?": {td.ROLE_MLE, td.CITY_LONDON},
    "Which companies hire ML engineers in Cambridge?": {td.ROLE_MLE, td.CITY_CAMBRIDGE},
    "Where is Featurespace based?": {td.ORG_FEATURESPACE},
    "Which compiled languages are gaining traction: Rust or Go?": {mint("skill", "Rust"), mint("skill", "Go")},
    "Which pipeline tools (Airflow, Prefect) are used?": {mint("skill", "Apache Airflow"), mint("skill", "Prefect")},
}


def iris(mentions, kind=None):
    return {m.entity.iri for m in mentions if kind is None or m.entity.kind == kind}


def test_gazetteer_loads_entities_with_minted_iris():
    gaz = load_gazetteer()
    london = gaz.get(td.CITY_LONDON)
    assert london is not None and london.same_as == "http://www.wikidata.org/entity/Q84"
    assert gaz.get(mint("city", "Cambridge")).same_as.endswith("/Q350")
    assert gaz.by_alias("ocado technology")[0].label == "Ocado"
    assert gaz.by_alias("MLE")[0].iri == td.ROLE_MLE
    assert gaz.get(mint("skill", "PyTorch")).category == "framework"
    assert all(e.same_as is None for e in gaz if e.kind != "city")
    assert [e.label for e in gaz.search("featur", kind="org")] == ["Featurespace"]
    assert gaz.search("pytorch")[0].label == "PyTorch"  # exact before substring


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_questions_link_expected_entities(shared_linker, question):
    found = shared_linker.link(question, discover=False)
    assert QUESTIONS[question] <= iris(found)
    for m in found:
        assert question[m.start:m.end] == m.surface


@pytest.mark.parametrize("text", ["go to the shop", "Go to the shop and go home.", "Let's go deep on it.",
                                  "RMSE/MAE/R² and R&D budgets", "arm yourself with ray tracing"])
def test_ambiguous_words_are_not_linked(shared_linker, text):
    assert not {mint("skill", "Go"), mint("skill", "R"), mint("org", "Arm"), mint("skill", "Ray")} & \
        iris(shared_linker.link(text))


def test_ambiguous_aliases_link_in_context(shared_linker):
    found = iris(shared_linker.link("Go is common. Knowing Java, R, or C++ helps; Arm and Ray too."))
    assert {mint("skill", "Go"), mint("skill", "R"), mint("skill", "C++"), mint("org", "Arm"),
            mint("skill", "Ray")} <= found


def test_longest_match_wins(shared_linker):
    found = shared_linker.link("Deploy on GCP Vertex AI or AWS SageMaker at BAE Systems Digital Intelligence.",
                               discover=False)
    assert [m.surface for m in found] == ["GCP Vertex AI", "AWS SageMaker", "BAE Systems Digital Intelligence"]
    assert found[2].entity.iri == mint("org", "BAE Systems")


def test_discovery_finds_unknown_employers_with_stable_iris(shared_linker):
    a = shared_linker.link("Companies like Quantexa, Tractable and Cleo are hiring ML engineers in Leeds.")
    b = shared_linker.link("Many ML engineers work in insurtech and fintech (Zopa, Quantexa).")
    orgs_a, orgs_b = iris(a, "org"), iris(b, "org")
    assert {mint("org", n) for n in ("Quantexa", "Tractable", "Cleo")} <= orgs_a
    assert mint("org", "Quantexa") in orgs_b and mint("org", "Zopa") in orgs_b
    assert all(m.entity.discovered for m in a + b if m.entity.kind == "org")
    assert shared_linker.link("Quantexa", discover=False) == []  # discovery is off for questions


def test_an_institute_named_by_what_it_is_is_an_employer_and_its_chief_is_not(shared_linker):
    text = ("The Quorvexa Data Institute, the UK’s national hub for data science, has begun a consultation that could "
            "lead to redundancies. Dr. Ana Rees, the institute’s chief executive, said projects would close.")
    labels = {m.surface for m in shared_linker.link(text) if m.entity.kind == "org"}
    assert "Quorvexa Data Institute" in labels and "Ana Rees" not in labels


def test_junk_never_becomes_an_employer(shared_linker):
    text = ("Frequently Asked Questions\nML and AI API teams use NHS datasets and Python.\n"
            "Financial services: the largest single employer\nPyTorch is used at companies like PyTorch.\n"
            "Top UK universities include Imperial College London and University of Oxford.")
    labels = {m.surface.lower() for m in shared_linker.link(text) if m.entity.kind == "org"}
    assert labels == set()


def test_seed_employers_and_no_junk_orgs(shared_linker):
    orgs: dict[str, str] = {}
    for path in td.SEED_FILES:
        text = path.read_text(encoding="utf-8")
        for m in shared_linker.link(text):
            assert text[m.start:m.end] == m.surface
            if m.entity.kind == "org":
                orgs[m.entity.label] = m.extractor
    expected = {"Revolut", "Monzo", "Starling", "Ocado", "ASOS", "DeepMind", "Darktrace", "Featurespace",
                "Arm", "Airbus", "BAE Systems", "Rolls-Royce", "Babylon", "BenevolentAI", "Genomics England",
                "Wayve", "Oxa", "Tesco"}
    assert expected <= set(orgs)
    junk = {"ml", "api", "ai", "python", "pytorch", "financial services", "frequently asked questions",
            "nhs", "nhs datasets", "kaggle", "university of cambridge", "mlops"}
    assert not {o.lower() for o in orgs} & junk


def test_link_many_matches_link(shared_linker):
    texts = ["Darktrace is based in Cambridge.", "Senior MLE in London"]
    assert shared_linker.link_many(texts) == [shared_linker.link(t) for t in texts]


def test_multi_word_aliases_also_match_hyphenated():
    from careerkg.graph.gazetteer import parse_gazetteer
    from careerkg.graph.linker import EntityLinker, get_nlp

    gaz = parse_gazetteer({"skills": [{"label": "Feature stores", "aliases": ["feature store"]}],
                           "cities": [{"label": "Milton Keynes"}]})
    linker = EntityLinker(gaz, get_nlp())
    got = {m.surface: m.entity.label for m in linker.link("A feature-store team near Milton-Keynes.", discover=False)}
    assert got == {"feature-store": "Feature stores"}  # a skill's compound, not a place's name


def test_names_glued_to_brackets_or_currency_are_linked(shared_linker):
    """Text flattened from HTML glues a name to what follows it: the name is still a mention,
    and a word with brackets inside it (a formula) is left whole."""
    text = "Most ads mention Python(66%) and SQL(56%); a Data Engineer£44K post. f(x) stays."
    found = shared_linker.link(text, discover=False)
    surfaces = {m.surface for m in found}
    assert {"Python", "SQL"} <= surfaces
    assert mint("skill", "Python") in iris(found, "skill")
    assert all(text[m.start:m.end] == m.surface for m in found)
    assert "f" not in surfaces


def test_an_organisation_worked_in_is_no_place(shared_linker):
    # NER reads "working in Quorvexa" as a place; the text also uses the name as an employer and GeoNames
    # knows no such place, so it is an organisation only
    text = ("Hear from Ada, a data science apprentice working in Quorvexa.\n\n"
            "I started a degree apprenticeship at Quorvexa last year and Quorvexa hired two more apprentices.")
    kinds = {m.entity.kind for m in shared_linker.link(text) if m.surface == "Quorvexa"}
    assert "city" not in kinds
