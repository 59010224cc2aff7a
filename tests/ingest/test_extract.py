"""Claim extraction on the five seed guides and on awkward inputs (real spaCy)."""

from __future__ import annotations

import pytest

import ckg_testdata as td
from careerkg.model import Document, sha256_text
from careerkg.graph.vocab import CKG, SCHEMA, mint
from careerkg.ingest.chunk import chunk_text
from careerkg.ingest.extract import Extractor, chunk_for

UK, OUTSIDE, LONDON = str(CKG.UK), str(CKG.UKOutsideLondon), td.CITY_LONDON
RECRUITER = "ml-engineer-careers-uk-recruiter-guide"
BOOM = "uk-ml-boom-what-you-need-to-know"
HOWTO = "how-to-become-an-ml-engineer-in-the-uk-2026"
NEXT3 = "ml-jobs-uk-2026-next-three-years"


def make_doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, doc_id, text, sha256_text(text), doc_id + ".txt", "text/plain")


@pytest.fixture(scope="module")
def extractor(shared_linker) -> Extractor:
    return Extractor(shared_linker)


@pytest.fixture(scope="module")
def seeds(extractor):
    """doc_id -> (document, chunks, extraction) for every seed, extracted once."""
    out = {}
    for path in td.SEED_FILES:
        doc = make_doc(path.stem, path.read_text(encoding="utf-8"))
        chunks = chunk_text(doc.doc_id, doc.text)
        out[doc.doc_id] = (doc, chunks, extractor.extract(doc, chunks))
    return out


def salaries(seeds, doc_id):
    return {(c.seniority, c.location, c.min_value, c.max_value, c.unit)
            for c in seeds[doc_id][2].claims if c.kind == "salary"}


def triples(seeds, kind, doc_id=None):
    return {(c.subject, c.object) for d, (_, _, ex) in seeds.items() if doc_id in (None, d)
            for c in ex.claims if c.kind == kind}


def test_offsets_evidence_and_chunks_are_exact(seeds):
    for doc, chunks, ex in seeds.values():
        assert ex.mentions and ex.claims
        for m in ex.mentions:
            assert doc.text[m.start:m.end] == m.surface
        by_id = {c.chunk_id: c for c in chunks}
        for c in ex.claims:
            assert doc.text[c.start:c.end] == c.evidence and c.evidence.strip() == c.evidence
            ch = by_id[c.chunk_id]
            assert ch.start < c.end and c.start < ch.end
            assert c.extractor


def test_career_guide_table_salaries(seeds):
    table = {s for s in salaries(seeds, td.CAREER_GUIDE)}
    expected = {
        ("Junior", LONDON, 45000, 65000, "YEAR"), ("Junior", OUTSIDE, 38000, 55000, "YEAR"),
        ("Mid", LONDON, 65000, 95000, "YEAR"), ("Mid", OUTSIDE, 55000, 80000, "YEAR"),
        ("Senior", LONDON, 95000, 145000, "YEAR"), ("Senior", OUTSIDE, 80000, 125000, "YEAR"),
        ("Principal", LONDON, 145000, 195000, "YEAR"), ("Principal", OUTSIDE, 120000, 170000, "YEAR"),
    }
    assert expected <= table
    rows = [c for c in seeds[td.CAREER_GUIDE][2].claims if c.extractor == "table"]
    assert len(rows) == 8 and all(c.subject == td.ROLE_MLE for c in rows)
    senior = next(c for c in rows if c.seniority == "Senior" and c.location == LONDON)
    assert senior.evidence == "| Senior MLE | 5–8 years | £95,000 – £145,000 | £80,000 – £125,000 |"


def test_recruiter_guide_list_salaries(seeds):
    got = salaries(seeds, RECRUITER)
    assert {("Junior", UK, 40000, 55000, "YEAR"), ("Mid", UK, 60000, 80000, "YEAR"),
            ("Senior", UK, 85000, 110000, "YEAR"), ("Junior", UK, 55000, 68000, "YEAR"),
            ("Contractor", UK, 500, 650, "DAY")} <= got
    assert {("Lead", UK, 110000, None, "YEAR"), ("Principal", UK, 110000, None, "YEAR")} <= got


def test_boom_guide_prose_salaries(seeds):
    got = salaries(seeds, BOOM)
    assert {("Junior", UK, 45000, 65000, "YEAR"), ("Mid", UK, 70000, 100000, "YEAR"),
            ("Senior", UK, 110000, 150000, "YEAR"), ("Lead", UK, 110000, 150000, "YEAR"),
            ("Principal", UK, 180000, None, "YEAR"), (None, LONDON, 85000, 120000, "YEAR"),
            (None, OUTSIDE, 65000, 90000, "YEAR")} <= got
    assert not any(v == 16 or (v or 0) >= 1e6 for s in got for v in s[2:4])  # "£16 billion" revenue


def test_no_impossible_salary_anywhere(seeds):
    for _, _, ex in seeds.values():
        for c in ex.claims:
            if c.kind != "salary":
                continue
            assert c.unit in {"YEAR", "DAY"} and c.currency == "GBP"
            assert c.min_value is not None or c.max_value is not None
            if c.min_value is not None and c.max_value is not None:
                assert c.min_value <= c.max_value
            assert c.seniority is None or c.seniority in {"Junior", "Mid", "Senior", "Lead", "Principal", "Contractor"}
            assert c.predicate == str(CKG.role) and c.subject.startswith(mint("role", "x")[:-1])


@pytest.mark.parametrize("text", [
    "Machine learning engineers earn £1m a year.",
    "Machine learning engineer salaries are £-5 to £-10.",
    "Senior ML engineer salary: £65,000 – £45,000.",
    "The UK AI sector has grown to a staggering £16 billion in annual revenue, ML engineers say.",
    "ML engineers are paid £12 per hour or £3 a day.",
])
def test_weird_numbers_yield_no_salary(extractor, text):
    doc = make_doc("weird", text)
    claims = extractor.extract(doc, chunk_text("weird", text)).claims
    assert [c for c in claims if c.kind == "salary"] == []


def test_an_all_jobs_average_is_a_statistic_not_the_roles_salary(extractor):
    text = ("Data scientists earn an average of £49,000, well above the UK average of £28,600 for all "
            "jobs, while the national median salary is £31,000.")
    claims = extractor.extract(make_doc("avg", text), chunk_text("avg", text)).claims
    salaries = sorted(c.min_value for c in claims if c.kind == "salary")
    assert salaries == [49000.0], salaries


def test_text_without_entities_yields_nothing(extractor):
    text = "The weather was pleasant and the tea was hot.\nNothing else happened that day."
    ex = extractor.extract(make_doc("none", text), chunk_text("none", text))
    assert ex.claims == [] and ex.mentions == []


def test_a_guide_no_list_or_ner_names_still_yields_its_skills_and_figures(extractor):
    """An advert naming no known entity (no gazetteer city, role or employer) still states skills and
    figures: they are extracted, not dropped with the empty mention list."""
    text = ("Studentship in Explainability\n\nApplicants need strong verbal and written communication skills. "
            "Only 21% of applicants were funded last year.\n")
    ex = extractor.extract(make_doc("advert", text), chunk_text("advert", text))
    assert "communication" in {m.entity.label for m in ex.mentions if m.entity.kind == "skill"}
    assert any(c.kind == "statistic" and c.value == 21 for c in ex.claims)


def test_employers_cities_and_sectors(seeds):
    located = triples(seeds, "located_in")
    cam, bristol = td.CITY_CAMBRIDGE, mint("city", "Bristol")
    assert {(td.ORG_DARKTRACE, cam), (td.ORG_FEATURESPACE, cam), (mint("org", "Arm"), cam),
            (mint("org", "Airbus"), bristol), (mint("org", "BAE Systems"), bristol),
            (mint("org", "Rolls-Royce"), bristol), (mint("org", "DeepMind"), LONDON)} <= located
    assert all(c.predicate == str(SCHEMA.location) for _, _, ex in seeds.values()
               for c in ex.claims if c.kind == "located_in")
    sector = triples(seeds, "in_sector")
    fin, retail = mint("sector", "Financial Services"), mint("sector", "E-commerce and Retail")
    health, av = mint("sector", "Healthcare"), mint("sector", "Autonomous Vehicles")
    assert {(mint("org", "Revolut"), fin), (mint("org", "Monzo"), fin), (mint("org", "Starling"), fin),
            (mint("org", "Ocado"), retail), (mint("org", "ASOS"), retail), (mint("org", "Babylon"), health),
            (mint("org", "BenevolentAI"), health), (mint("org", "Genomics England"), health),
            (mint("org", "Wayve"), av), (mint("org", "Oxa"), av), (mint("org", "Tesco"), retail),
            (td.ORG_DARKTRACE, mint("sector", "Cybersecurity")),
            (mint("org", "Airbus"), mint("sector", "Aerospace and Defence"))} <= sector
    orgs = {m.entity.label.lower() for _, _, ex in seeds.values() for m in ex.mentions if m.entity.kind == "org"}
    assert not orgs & {"ml", "api", "ai", "python", "pytorch", "financial services", "frequently asked questions"}
    # nothing is located in a city just for sharing a document with it
    assert (mint("org", "Revolut"), LONDON) not in located


def test_requires_skill(seeds):
    req = triples(seeds, "requires_skill")
    for skill in ("Python", "PyTorch", "Docker", "FastAPI", "MLflow", "Apache Airflow", "Prefect", "SQL",
                  "Kubernetes", "LoRA", "QLoRA", "Rust", "Go"):
        assert (td.ROLE_MLE, mint("skill", skill)) in req, skill
    assert all(c.predicate == str(CKG.requiresSkill) for _, _, ex in seeds.values()
               for c in ex.claims if c.kind == "requires_skill")


def test_transitions_with_durations(seeds):
    trans = {(c.subject, c.object, c.min_months, c.max_months) for _, _, ex in seeds.values()
             for c in ex.claims if c.kind == "transition"}
    swe, ds, new = mint("role", "Software Engineer"), td.ROLE_DATA_SCIENTIST, mint("role", "Career Changer")
    assert {(swe, td.ROLE_MLE, 6, 12), (ds, td.ROLE_MLE, 6, 18), (new, td.ROLE_MLE, 18, 24)} <= trans
    assert (ds, td.ROLE_MLE, None, None) in trans  # "Data scientists transitioning to ML engineering"
    assert (mint("role", "Data Analyst"), ds, None, None) in trans
    path2 = next(c for c in seeds[HOWTO][2].claims if c.kind == "transition" and c.min_months == 6
                 and c.max_months == 18 and c.evidence.startswith("Path 2"))
    assert path2.evidence.endswith("already have.")


def test_chunk_for_prefers_containing_chunk():
    from careerkg.model import Chunk
    chunks = [Chunk("a", "d", 0, 0, 10, "x" * 10), Chunk("b", "d", 1, 5, 30, "x" * 25)]
    assert chunk_for(chunks, 6, 9) == "a"
    assert chunk_for(chunks, 8, 25) == "b"
    assert chunk_for(chunks, 40, 50) == ""


def test_claim_counts_per_seed(seeds):
    counts = {d: len(ex.claims) for d, (_, _, ex) in seeds.items()}
    assert all(n > 0 for n in counts.values()), counts
    assert len([c for c in seeds[NEXT3][2].claims if c.kind == "located_in"]) >= 2


# -- salary layouts beyond the seeds (issue 10) ------------------------------------------------

def _salaries(extractor, text):
    doc = make_doc("layout", text)
    return {(c.subject.rsplit("/", 1)[-1], c.seniority, c.location, c.min_value, c.max_value, c.unit, c.currency)
            for c in extractor.extract(doc, chunk_text("layout", text)).claims if c.kind == "salary"}


def test_two_role_comparison_table_one_column_per_role(extractor):
    text = ("Machine learning engineer vs data scientist pay in the UK\n\n| Level | ML Engineer | Data Scientist |\n"
            "|---|---|---|\n| Junior | £45-60k | £40-55k |\n| Senior | £90-125k | £115-160k |\n")
    got = _salaries(extractor, text)
    assert ("machine-learning-engineer", "Senior", UK, 90000, 125000, "YEAR", "GBP") in got
    assert ("data-scientist", "Senior", UK, 115000, 160000, "YEAR", "GBP") in got
    assert ("data-scientist", "Junior", UK, 40000, 55000, "YEAR", "GBP") in got
    assert len(got) == 4


def test_range_under_level_caption_and_figure_then_caption_cards(extractor):
    text = ("Data scientist salary UK\n\nEntry Level\n\n£34,000–£48,000\n\nper year\n\nSenior / Lead\n\n"
            "£85,000–£150,000+\n\nper year, gross\n")
    got = _salaries(extractor, text)
    assert ("data-scientist", "Junior", UK, 34000, 48000, "YEAR", "GBP") in got
    assert ("data-scientist", "Senior", UK, 85000, 150000, "YEAR", "GBP") in got
    text = "Data engineer pay in the UK\n\n£69K\n\nMid-level median\n\n£92K\n\nSenior median\n\n£5,090\n\nSenior take-home/mo\n"
    got = _salaries(extractor, text)
    assert {("data-engineer", "Mid", UK, 69000, 69000, "YEAR", "GBP"),
            ("data-engineer", "Senior", UK, 92000, 92000, "YEAR", "GBP")} == got  # monthly take-home is no salary


def test_cells_with_line_breaks_glued_cells_and_flattened_rows(extractor):
    got = _salaries(extractor, "Data engineer salaries in the UK\n\n| Role | Salary |\n|---|---|\n"
                               "| Junior Data Engineer<br/>£40-60K | Entry |\n")
    assert ("data-engineer", "Junior", UK, 40000, 60000, "YEAR", "GBP") in got
    got = _salaries(extractor, "Data engineer salary UK\nLevelExperienceRangeMedian\n"
                               "Junior Data Engineer0–2 years£41K–£58K£50K\n")
    assert {("data-engineer", "Junior", UK, 41000, 58000, "YEAR", "GBP"),
            ("data-engineer", "Junior", UK, 50000, 50000, "YEAR", "GBP")} == got
    got = _salaries(extractor, "Machine learning engineer salaries (UK)\nJunior (0–2 years): £45,000 – £65,000\n"
                               "AI Engineer 2-5 years £75,000 – £110,000\n")
    assert ("machine-learning-engineer", "Junior", UK, 45000, 65000, "YEAR", "GBP") in got
    assert ("ai-engineer", "Mid", UK, 75000, 110000, "YEAR", "GBP") in got


def test_a_title_case_role_and_a_table_with_its_currency_in_the_row_label(extractor):
    text = ("How much do Cloud Technical Architects make?\n"
            "Junior (0-3 years) | Mid-level (4-8 years) | Senior (9+ years) | Freelance Rate | |\n"
            "---|---|---|---|---|\nUnited States ($) | - | 159,750 | 204,000 | 112-173 (p/h) |\n"
            "United Kingdom (£) | - | 84,500 | 115,000 | 530-800 (p/d) |\n")
    got = _salaries(extractor, text)
    assert ("cloud-technical-architect", "Mid", UK, 84500, 84500, "YEAR", "GBP") in got  # the header lacks the
    assert ("cloud-technical-architect", "Senior", UK, 115000, 115000, "YEAR", "GBP") in got  # label column
    assert not any(c[1] == "Junior" or c[6] == "USD" and c[2] == UK for c in got)  # "-" is no pay; US is abroad


def test_day_rates_and_currency_stated_in_prose(extractor):
    got = _salaries(extractor, "Contract ML engineers in the UK charge £500–700 / day for most roles.")
    assert got == {("machine-learning-engineer", "Contractor", UK, 500, 700, "DAY", "GBP")}
    text = ("ML engineer salaries at US tech firms. All figures are in US dollars.\n\n| Level | Base salary |\n"
            "|---|---|\n| Senior | 180,000 – 240,000 |\n\nIn the UK, senior ML engineers earn £90,000.")
    got = _salaries(extractor, text)
    assert ("machine-learning-engineer", "Senior", None, 180000, 240000, "YEAR", "USD") in got
    assert ("machine-learning-engineer", "Senior", UK, 90000, 90000, "YEAR", "GBP") in got


@pytest.mark.parametrize("text", [
    "Skilled Worker visa: the going rate for a machine learning engineer is £49,400 a year.",
    "Jobs citing Kubernetes pay an average of £85,000 in the UK, the survey of ML hiring shows.",
    "In Germany, machine learning engineers earn €75,000 a year.",
    "In the United States, ML engineers earn $200,000.",
    "ML engineer pay is up from £62,000 two years ago.",
    "The average ML engineer salary rose by 38% from £53,449 to £73,559.",
])
def test_figures_that_are_not_uk_role_salaries(extractor, text):
    assert _salaries(extractor, text) == set()


# -- employers no list knows (issue 10) --------------------------------------------------------

def _orgs(extractor, text):
    doc = make_doc("orgs", text)
    ex = extractor.extract(doc, chunk_text("orgs", text))
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    located = {(c.subject.rsplit("/", 1)[-1], c.object.rsplit("/", 1)[-1]) for c in ex.claims if c.kind == "located_in"}
    return orgs, located


def test_unknown_employer_with_its_city_and_never_a_generic_word_of_it(extractor):
    orgs, located = _orgs(extractor, "Peakline Robotics, a Sheffield startup, hires machine learning engineers to "
                                     "build warehouse robots. Robotics is a growing field and Peakline Robotics pays well.")
    assert orgs == {"Peakline Robotics"} and ("peakline-robotics", "sheffield") in located
    orgs, located = _orgs(extractor, "Firms like Halden Quant, Two Sigma London and Mereway Capital pay £100K+ "
                                     "for ML engineers. Graphcore (Bristol) is hiring, and Tessellate in Leeds "
                                     "recruits graduates.")
    assert {"Halden Quant", "Two Sigma", "Mereway Capital"} <= orgs
    assert {("two-sigma", "london"), ("graphcore", "bristol")} <= located


def test_employers_after_including_the_and_firms_named_as_asset_managers(extractor):
    from careerkg.graph.discover import _ORG_HEAD

    orgs, _ = _orgs(extractor, "Quillby and 11 UK employers including the BBC, Fennick Group and Larchmont have "
                               "joined.")
    assert {"BBC", "Fennick Group", "Larchmont"} <= orgs, orgs
    assert _ORG_HEAD.search("Dunmore Capital Management") and _ORG_HEAD.search("Brackley Asset Management")
    orgs, _ = _orgs(extractor, "Data roles at Moody's Analytics and Lloyd's Register pay well.")
    assert not {"Moody", "Lloyd"} & orgs, orgs  # a possessive inside a name stays
    assert not _ORG_HEAD.search("Project Management")


def test_an_employers_city_from_its_office_or_its_origin(extractor):
    """"X's Leeds office" in a list of employers, "a company that has spun out of <City> University",
    "a <City> University spin-off – X" (invented names: no list knows them)."""
    orgs, located = _orgs(extractor, "For LLM work think Wayve, Quillmore's Leeds office, Cohere and Synthesia. "
                                     "Harrowgate AI, a company that has spun out of Nottingham University, raised "
                                     "$8m. Another Manchester University spin-off – Brindlewick – raised $3m.")
    assert {"Quillmore", "Harrowgate AI", "Brindlewick"} <= orgs
    assert {("quillmore", "leeds"), ("harrowgate-ai", "nottingham"), ("brindlewick", "manchester")} <= located
    assert not any(o.endswith("office") for o in orgs)


@pytest.mark.parametrize("text, bad", [
    ("Data engineers query BigQuery every day. A typical query:\nSELECT team, COUNT(*) FROM hires GROUP BY team;",
     {"BigQuery", "GROUP BY", "SELECT", "COUNT"}),
    ("Entry requires a Level 4 apprenticeship at Merit or Distinction.", {"Merit", "Distinction"}),
    ("DeepMind in King's Cross hires research engineers.", {"King's Cross"}),
    ("Apply for the Global Talent visa through the endorsing body; it hires no one.", {"Global Talent"}),
    ("After five years you could be a Technical Lead or a Software Development Manager at the firm.",
     {"Technical Lead", "Software Development Manager"}),
    ("What graduate salary can I expect in an IT job? Entry-level graduate schemes pay £30,000.",
     {"What", "IT", "Entry-level"}),
])
def test_words_that_are_not_employers(extractor, text, bad):
    orgs, _ = _orgs(extractor, text)
    assert not orgs & bad, orgs


# -- skills no list knows (issue 10) -----------------------------------------------------------

def _skills(extractor, text):
    doc = make_doc("skills", text)
    ex = extractor.extract(doc, chunk_text("skills", text))
    return {m.entity.label: m.entity for m in ex.mentions if m.entity.kind == "skill"}, ex


def test_skills_named_in_skill_contexts_become_entities(extractor):
    text = ("Machine learning engineers in the UK need experience with Flyte. Tools such as Dagster, Quarto and "
            "Zarr are common, and technical skills may include Elixir, Python and Haskell. An understanding of "
            "causal inference fundamentals helps, as does enterprise development with F#.")
    got, ex = _skills(extractor, text)
    assert {"Flyte", "Dagster", "Quarto", "Zarr", "Elixir", "Haskell", "causal inference", "F#", "Python"} <= set(got)
    assert got["Flyte"].discovered and got["Flyte"].iri.endswith("/skill/flyte")
    assert not got["Python"].discovered
    required = {c.object.rsplit("/", 1)[-1] for c in ex.claims if c.kind == "requires_skill"}
    assert "flyte" in required


def test_skills_under_a_skills_heading_but_not_captions_or_column_values(extractor):
    text = ("Machine learning engineer\n\n9\nEssential Skills\n8\nDesirable Skills\n\nTechnical Skills\n\n"
            "Flyte\nEssential\n90%\nFeature Stores\nEssential\n80%\nDagster\nDesirable\n60%\n")
    got, _ = _skills(extractor, text)
    assert {"Flyte", "Feature Stores", "Dagster"} <= set(got)
    assert not {"Essential", "Desirable", "Essential Skills", "Desirable"} & set(got)


@pytest.mark.parametrize("text", [
    "Applicants with experience in the tech sector apply under Exceptional Talent.",
    "Requirements are agreed by members of the team, such as a business analyst or technical architect.",
    "Show an understanding of the program, following best practices and standards.",
])
def test_phrases_that_are_not_skills(extractor, text):
    got, _ = _skills(extractor, text)
    assert not [e for e in got.values() if e.discovered], got


def test_unseen_tools_in_tool_contexts_are_skills(extractor):
    # tool names no list knows (ONNX, TorchServe, BigQuery and GenAI are in the gazetteer now)
    text = ("ML engineers export models to TensorRT, serve them with BentoML and query usage in ClickHouse. "
            "Demand for XAI skills grew across UK cities, including Glasgow (150%).")
    got, _ = _skills(extractor, text)
    assert {"TensorRT", "BentoML", "ClickHouse", "XAI"} <= set(got)
    assert all(got[n].discovered for n in ("TensorRT", "BentoML", "ClickHouse", "XAI"))
    assert "Glasgow" not in got


def test_an_enumeration_after_a_verb_of_work_names_skills(extractor):
    text = ("The role typically owns prompt tuning, retrieval design, agent orchestration, and the integration "
            "surface where models meet real product. Platform engineers own the serving lifecycle — feature "
            "stores, shadow deployments, canary analysis — and sit in platform teams. Their salaries are "
            "their own business, unlike Leeds, York and Hull. It uses time-series forecasting (TSF) daily.")
    got, _ = _skills(extractor, text)
    assert {"prompt tuning", "retrieval design", "agent orchestration", "feature stores", "shadow deployments",
            "canary analysis", "time-series forecasting"} <= set(got)
    assert not {"integration surface", "business", "Leeds", "York", "Hull"} & set(got)


def test_salary_for_each_city_of_a_list_and_a_city_guide_title(extractor):
    got = _salaries(extractor, "AI engineer pay in the UK\nManchester, Edinburgh, and Cambridge now offer "
                               "£65,000-£75,000 for AI engineering roles.")
    assert {loc.rsplit("/", 1)[-1] for _, _, loc, *_ in got} == {"manchester", "edinburgh", "cambridge"}
    got = _salaries(extractor, "Tech salaries in London 2026: what engineers earn in the UK\n"
                               "ML Engineer - £60K-£130K+\nMedian: ~£85K for ML engineers.")
    assert ("machine-learning-engineer", None, LONDON, 60000, 130000, "YEAR", "GBP") in got


def test_employers_named_by_how_the_text_describes_them(extractor):
    # invented names: no list knows them; the words around them say they are companies
    text = ("Quillfire, a semi-conductor company that designs chips, raised $10m in 2024. Another Leeds "
            "University spin-off – Brindlebank – raised $2m. The panel will feature Nadia Osei, director of policy "
            "at robotics startup Tern AI; Sam Lee, the co-founder and CTO of Marrowgate, a company which builds "
            "sensors; and Ana Ruiz, chief executive of Sheffield’s Hollowmere.\n\n"
            "Velloway: a Manchester-founded unicorn, now owned abroad.\n\n"
            "In 2019, Ostrafell chose Leeds as the site for its northern headquarters.\n\n"
            "Some of these start-ups are pitched as future unicorns. The likes of Be.Qu, which builds chargers, "
            "lead the pack. Skills are in demand, the likes of Python.\n")
    doc = make_doc("scene", text)
    ex = extractor.extract(doc, chunk_text("scene", text))
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert {"Quillfire", "Brindlebank", "Tern AI", "Marrowgate", "Hollowmere", "Velloway", "Be.Qu"} <= orgs
    assert "Python" not in orgs
    assert not {o for o in orgs if " of " in o or o.startswith(("CTO", "Sheffield"))}, orgs
    located = {(c.subject.rsplit("/", 1)[-1], c.object.rsplit("/", 1)[-1]) for c in ex.claims
               if c.kind == "located_in"}
    assert {("hollowmere", "sheffield"), ("velloway", "manchester"), ("ostrafell", "leeds")} <= located


def test_a_figure_takes_the_level_and_role_written_after_it(extractor):
    got = _salaries(extractor, "Contract rates\nAs of mid-2026, UK contractor day rates typically run from around "
                               "£400 a day for junior contractors, to a median near £550 for a general data "
                               "scientist, and about £700 for a machine learning engineer.")
    levels = {(role, lvl, lo) for role, lvl, _, lo, *_ in got}
    assert ("data-scientist", "Junior", 400) in levels
    assert ("machine-learning-engineer", "Contractor", 700) in levels
    assert not {x for x in levels if x[1] in ("Mid", "Junior") and x[2] != 400}, levels  # "mid-2026" is a time
    got = _salaries(extractor, "Graduate pay\nAcme graduate salary: £35,000 for the software engineering scheme "
                               "and £45,000 for the data scientist scheme.")
    assert ("data-scientist", "Junior", 45000) in {(r, lvl, lo) for r, lvl, _, lo, *_ in got}


def test_skills_named_before_the_word_skills_and_listed_after_using(extractor):
    text = ("Engineers need excellent mathematical and communication skills, sound coding skills and NLP-heavy "
            "skills. They work using data structures, algorithms and computer architecture. Practise framing "
            "answers using key metrics like latency, throughput, and cost. Boost skills with essential skills.")
    got, _ = _skills(extractor, text)
    assert {"communication", "coding", "algorithms", "computer architecture"} <= set(got)
    assert not {"mathematical", "heavy", "latency", "throughput", "cost", "boost", "essential"} & set(got), got


def test_an_organisation_named_as_the_source_of_figures_is_a_cited_source(extractor):
    """"according to a report by X", "X's Talent Tracker", "X found": a data source, claimed as such
    with the cue as evidence; an employer named in the same text is not."""
    text = ("ML salaries rose 12%, according to a report by Tech Nation. Tech Nation found that London leads, "
            "and Harrowgate Robotics, a Leeds startup, hires ML engineers.")
    doc = make_doc("sources", text)
    ex = extractor.extract(doc, chunk_text("sources", text))
    cited = [c for c in ex.claims if c.kind == "cited_as_source"]
    assert {c.subject.rsplit("/", 1)[-1] for c in cited} == {"tech-nation"}
    assert all(text[c.start:c.end] == c.evidence and c.object is None for c in cited)
    assert any(c.evidence.startswith("according to a report by") for c in cited)
    assert not any(c.subject.endswith("/harrowgate-robotics") for c in cited)


def test_employers_in_a_list_of_labs_and_in_an_apposition_naming_a_platform(extractor):
    """"labs like X, Y and Samsung AI Centre" (a field word inside a listed name), "X, an elite sports
    platform in Belfast" (the apposition's company noun and its city); invented names."""
    orgs, located = _orgs(extractor, "Industry labs like Wayve, Quillmore Research, and Brindle AI Centre hire PhDs. "
                                     "Harrowgate, an elite sports management platform in Belfast, raised £1.5m.")
    assert {"Brindle AI Centre", "Harrowgate"} <= orgs
    assert ("harrowgate", "belfast") in located


def test_pay_of_job_titles_no_list_knows(extractor):
    """A guide about developers' pay names titles the gazetteer does not know: each becomes a discovered role
    and the subject of its figure; a level before a bare head ("Senior developer") names no new role."""
    text = ("Developer pay in Scotland\n\nAverage salaries being paid in Scotland:\n\n"
            "  • Java developer – £33k-35k\n  • Software architect – £50k-55k\n  • Senior developer – £40k-45k\n")
    ex = extractor.extract(make_doc("devpay", text), chunk_text("devpay", text))
    roles = {m.entity.label for m in ex.mentions if m.entity.kind == "role"}
    assert {"Java Developer", "Software Architect"} <= roles and "Senior Developer" not in roles
    got = {(c.subject.rsplit("/", 1)[-1], c.min_value) for c in ex.claims if c.kind == "salary"}
    assert ("java-developer", 33000) in got and ("software-architect", 50000) in got
    assert any(v == 40000 for _, v in got)


def test_a_bare_job_noun_is_the_role_of_its_sentence_in_a_guide_naming_no_role(extractor):
    """A guide naming no role at all: "new lecturers ... start at £25,000", "the average coder earns ..." are
    the pay of a lecturer and a coder; the noun is no main role (a table below a bare noun's figure is not
    its pay), and a figure in brackets after a cost ("£7000 ($10,560) for the training") is that cost."""
    text = ("Salaries and opportunities for advancement\n\nNew lecturers in a first appointment are likely to "
            "start at a salary of very roughly £25000. The average coder earns £47,500 per annum. "
            "The cost is £7000 ($10,560) for the training.\n\n10th Percentile £30,500 £35,000 £31,250\n")
    ex = extractor.extract(make_doc("bare", text), chunk_text("bare", text))
    got = {(c.subject.rsplit("/", 1)[-1], c.min_value) for c in ex.claims if c.kind == "salary"}
    assert got == {("lecturer", 25000), ("coder", 47500)}, got
    assert {m.extractor for m in ex.mentions if m.entity.kind == "role"} == {"head"}


def test_a_bare_noun_of_a_known_role_or_in_a_guide_naming_a_role_is_no_new_role(extractor):
    text = "Pay in tech\n\nEngineers earn £60,000 on average, and lecturers £40,000.\n"
    ex = extractor.extract(make_doc("eng", text), chunk_text("eng", text))
    assert {m.entity.label for m in ex.mentions if m.entity.kind == "role"} == {"Lecturer"}  # "engineer": known
    text = "Data scientist pay\n\nData scientists earn £60,000, and lecturers £40,000.\n"
    ex = extractor.extract(make_doc("ds", text), chunk_text("ds", text))
    assert "Lecturer" not in {m.entity.label for m in ex.mentions if m.entity.kind == "role"}


def test_a_known_role_stays_the_main_role_beside_discovered_titles(extractor):
    got = _salaries(extractor, "Machine learning engineer salaries in the UK\n\nMost ML engineers earn £70,000. "
                               "Backend engineers and platform teams work next to them.\n")
    assert {s[0] for s in got} == {"machine-learning-engineer"}


def test_a_guide_about_pay_states_figures_without_repeating_the_cue(extractor):
    """Under a title about pay, "... rather Bristol at £65,000, followed by £62,000 in Manchester" are
    salaries, each of the city nearest to it (not the first city of the sentence)."""
    text = ("Tech workers in Leeds see average salary rise to £60,000\n\n"
            "The highest figure was not Leeds but rather Bristol at £65,000, followed by £62,000 in Manchester.\n")
    got = {(s[2].rsplit("/", 1)[-1] if s[2] else None, s[3]) for s in _salaries(extractor, text)}
    assert ("bristol", 65000) in got and ("manchester", 62000) in got, got


def test_employers_named_after_a_company_noun_and_acronyms_that_are_not_examples(extractor):
    text = ("Algorithmic trading group Zentrix Markets and quant hedge funds Orvane Capital and Pellow Research "
            "each reported record revenue. Other players, such as Q-Labs, also continue to expand.\n"
            "Analysts belong to professions including the Government Economic Service (GES) and Government Social "
            "Research (GSR).\n")
    ex = extractor.extract(make_doc("quant", text), chunk_text("quant", text))
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert {"Zentrix Markets", "Orvane Capital", "Pellow Research", "Q-Labs"} <= orgs, orgs
    assert not orgs & {"GES", "GSR"}, orgs


def test_names_coordinated_with_a_known_skill_are_skills_and_organisations_as_examples_are_not(extractor):
    """"with Java, Zorblang, Python and Quillex expertise": a run holding a known skill names skills; "tech
    recruiters such as Hays, Harvey Nash or Experis" names organisations, not skills."""
    text = ("Developer salaries have been rising, with Java, Zorblang, Python and Quillex expertise in demand. "
            "Salary surveys are run by tech recruiters – such as Fennick, Harvey Nash or Experis.")
    got, _ = _skills(extractor, text)
    assert {"Zorblang", "Quillex"} <= set(got), set(got)
    assert not {"Fennick", "Harvey Nash", "Experis"} & set(got), set(got)


def test_lower_case_phrases_coordinated_with_a_known_skill_are_skills(extractor):
    """"prompt engineering, ledger tuning and safety alignment": phrases of two or more words joined to a known
    skill are skills; single words ("physics and maths") and clauses ("said Ann Lee") are not."""
    text = ("The bank wants ledger tuning, prompt engineering and safety alignment. Graduates in physics, maths "
            "and machine learning apply, said Ann Lee, for an advertised role in the team.")
    got, _ = _skills(extractor, text)
    assert {"ledger tuning", "safety alignment"} <= set(got), set(got)
    assert not {"physics", "maths", "said Ann Lee", "Ann Lee", "for an advertised role", "wants ledger tuning"} & \
        set(got), set(got)


def test_methods_listed_after_a_dash_and_a_tool_named_before_solutions_are_skills(extractor):
    text = ("Deep knowledge of optimization strategies – quantization, sparsity, NAS, sharding. Apply expertise in "
            "Zorbix solutions using the query language. Courses cover data analysis, digital marketing, IT support "
            "and project management.")
    got, _ = _skills(extractor, text)
    assert {"quantization", "sparsity", "NAS", "Zorbix", "IT support", "digital marketing"} <= set(got), \
        set(got)


def test_a_change_from_one_figure_to_another_a_minimum_and_the_all_jobs_wage(extractor):
    """"grew by 8.9% from £45,930 to £50,000" is a change (past and present figures, no range); "the minimum salary ...
    is £19,500" is open-ended; "the average UK wage of £27,600" is every job's, not the title's."""
    got = _salaries(extractor, "Data protection officer pay in the UK\n\nData protection officers in London saw "
                               "pay that grew by 8.9% from £45,930 to £50,000. The minimum salary for a junior "
                               "data protection officer is £19,500. The average salary is £47,483, nearly double "
                               "the average UK wage of £27,600.\n")
    values = {(s[3], s[4]) for s in got}
    assert (45930, 50000) not in values and (50000, 50000) not in values, values
    assert (19500, None) in values and (47483, 47483) in values and not any(s[3] == 27600 for s in got), values
    assert {s[0] for s in got} == {"data-protection-officer"}


def test_employers_that_run_programmes_or_raise_money(extractor):
    text = ("The technical apprenticeship with Zentrix, Orvane Labs and Pellow runs for two years. "
            "The Quarrow Audit Office school leaver programme pays £21,000. "
            "Tessaline Robotics Ltd, which raised $60 million last year, is growing fast.\n")
    ex = extractor.extract(make_doc("progs", text), chunk_text("progs", text))
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert {"Zentrix", "Orvane Labs", "Pellow", "Quarrow Audit Office", "Tessaline Robotics Ltd"} <= orgs, orgs


def test_an_employer_expanding_its_centre_in_a_city_is_located_there(extractor):
    text = ("Zentrix Robotics Ltd is hiring engineers. Zentrix Robotics Ltd has announced plans to expand its "
            "development center in Cambridge, England.\n")
    ex = extractor.extract(make_doc("centre", text), chunk_text("centre", text))
    located = {(c.subject.rsplit("/", 1)[-1], c.object.rsplit("/", 1)[-1]) for c in ex.claims
               if c.kind == "located_in"}
    assert ("zentrix-robotics-ltd", "cambridge") in located, located


def test_a_column_per_place_respective_figures_heads_of_and_gaps(extractor):
    text = ("Junior data analyst pay: Leeds vs Nottingham\n\n| Metric | Leeds (2026) | Nottingham (2026) |\n|---|---|---|\n"
            "| Average Junior Salary | £30,000 – £36,000 | £27,000 – £33,000 |\n\n"
            "A data governance analyst earns £55k, with data architects and data engineers earning £85k and £60.5k, "
            "respectively. The average salary for a head of data position is £110K. The average tech salary is "
            "£50k, £12k (20%) less than in London.\n")
    got = {(r, lv, (loc or "").rsplit("/", 1)[-1], lo, hi) for r, lv, loc, lo, hi, _, _ in _salaries(extractor, text)}
    assert ("data-analyst", "Junior", "leeds", 30000, 36000) in got  # the header cell names the column's place
    assert ("data-analyst", "Junior", "nottingham", 27000, 33000) in got
    assert {(r, lo) for r, _, _, lo, _ in got if lo in (85000, 60500)} == {("data-architect", 85000),
                                                                          ("data-engineer", 60500)}
    assert ("head-of-data", 110000) in {(r, lo) for r, _, _, lo, _ in got}
    assert not {lo for _, _, _, lo, _ in got if lo == 12000}  # a gap between two figures is no pay


def test_employers_of_a_guide_about_one_city(extractor):
    text = ("Sheffield's tech scene is booming, according to new data.\n\nThere are 900 tech jobs in Sheffield.\n\n"
            "Startups located in the South Yorkshire city have raised £40m. These include software firm Quorvexa and "
            "robotics startup Brightwerk.\n\nThe city is also home to fintech startup Zentrafy.\n\n"
            "Sheffield has cheap offices.\n")
    ex = extractor.extract(make_doc("sheffield", text), chunk_text("sheffield", text))
    located = {(c.subject.rsplit("/", 1)[-1], c.object.rsplit("/", 1)[-1]) for c in ex.claims if c.kind == "located_in"}
    assert {("quorvexa", "sheffield"), ("brightwerk", "sheffield"), ("zentrafy", "sheffield")} <= located


def test_employers_get_the_city_of_their_scope_and_of_their_name(extractor):
    # invented names; the guide's title names its city, sentences name one city or none
    text = ("Tech salaries in Leeds 2026: what engineers earn\n\nLeeds pays well, and Leeds is growing. "
            "Leeds has 900 tech jobs.\n\nFirms like Quorvexa Analytics pay £70K for ML engineers. "
            "Startup Brightwerk hires 40 engineers in York. Top UK employers include Zentrafy.\n\n"
            "| Institution | Average Salary |\n|---|---|\n| Imperial College London | £40,919 |\n"
            "| Quillfire University NHS Trust | £50,042 |\n\n"
            "The jobs are being created by IT firm Version 1 in the Gasworks.\n")
    ex = extractor.extract(make_doc("leeds", text), chunk_text("leeds", text))
    located = {(c.subject.rsplit("/", 1)[-1], c.object.rsplit("/", 1)[-1]) for c in ex.claims if c.kind == "located_in"}
    assert ("quorvexa-analytics", "leeds") in located  # the guide's city (its title names it)
    assert ("brightwerk", "york") in located  # the one city of its sentence
    assert not {o for s, o in located if s == "zentrafy"}  # a UK-wide sentence: no city
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert {"Imperial College London", "Quillfire University NHS Trust", "Version 1"} <= orgs
    assert ("imperial-college-london", "london") in located  # a city in the institution's name
    pay = {(c.min_value, (c.location or "").rsplit("/", 1)[-1]) for c in ex.claims if c.kind == "salary"}
    assert (40919.0, "london") in pay  # the row's place is its institution's


def test_a_place_word_after_across_is_no_city_unless_it_is_one(extractor):
    text = "Pay varies across Big Tech (Google, Meta). Many firms are based in Didcot.\n"
    ex = extractor.extract(make_doc("bigtech", text), chunk_text("bigtech", text))
    cities = {m.entity.label for m in ex.mentions if m.entity.kind == "city"}
    assert "Big Tech" not in cities


def test_a_salary_rising_to_another_is_a_range(extractor):
    text = "Data Science Graduate\nSalary: £31,000 rising to £32,250 in year 2\n"
    ex = extractor.extract(make_doc("grad", text), chunk_text("grad", text))
    assert {(c.min_value, c.max_value) for c in ex.claims if c.kind == "salary"} == {(31000.0, 32250.0)}


def test_skills_from_a_table_row_labelled_as_tools(extractor):
    text = ("| Level 3 | Level 6 |\n|---|---|\n| Tools covered | Excel, Power BI, SQL | Quorvexa Studio, cloud ML platforms |\n"
            "| Duration | 12 months | 24 months |\n")
    ex = extractor.extract(make_doc("tools", text), chunk_text("tools", text))
    skills = {m.entity.label for m in ex.mentions if m.entity.kind == "skill"}
    assert {"Excel", "Power BI", "SQL", "Quorvexa Studio", "cloud ML platforms"} <= skills
    assert not skills & {"12 months", "Duration"}


def test_organisation_tables_end_where_the_table_does_and_names_keep_their_number(extractor):
    from careerkg.graph.places import city_in_name

    text = ("| Institution | Salary |\n|---|---|\n| Imperial College London | £40,919 |\n\n"
            "| Skill | Level |\n|---|---|\n| Stakeholder Management | High |\n\n"
            "The jobs are being created by IT firm Version 1. Our head of platform engineering hires. "
            "It was hosted by the head of insights George Windsor.\n")
    ex = extractor.extract(make_doc("tables", text), chunk_text("tables", text))
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert "Imperial College London" in orgs and "Version 1" in orgs
    assert not orgs & {"Skill", "Stakeholder Management"}
    roles = {m.entity.label.lower() for m in ex.mentions if m.entity.kind == "role"}
    assert "head of platform engineering" in roles and "head of insights" in roles  # not "... George"
    assert city_in_name("Bristol Myers Squibb") is None and city_in_name("Reading Room") is None
    assert city_in_name("University of Southampton") == ("Southampton", "Southampton")
    text = "| Tools | Price | Licence |\n|---|---|---|\n| Quorvexa Studio | £10 | MIT |\n"
    ex = extractor.extract(make_doc("hdr", text), chunk_text("hdr", text))
    assert not {m.entity.label for m in ex.mentions if m.entity.kind == "skill"} & {"Price", "Licence"}


def test_a_trailing_empty_column_shifts_no_level(extractor):
    text = "Data engineer salaries in the UK\n\n| Region | Junior | Senior | |\n|---|---|---|---|\n| London | £30,000 | £50,000 | |\n"
    got = _salaries(extractor, text)
    assert any(c[1] == "Junior" and c[3] == 30000 for c in got)
    assert not any(c[1] == "Junior" and c[3] == 50000 for c in got)


def test_a_function_word_is_no_skill_and_a_common_word_opening_a_title_is_no_employer(extractor):
    """Set R's first run: "what skills you need, and how to get there" made a skill "how"; a title opening
    "Tech hiring surges as firms turn to ..." made an employer "Tech"."""
    text = ("Tech hiring surges as firms turn to the government's scheme\n\n"
            "This guide covers every cloud career path: what each role does, what it pays, what skills you need, "
            "and how to get there from wherever you're starting. Companies like Zorblax, Quindle and Vexor hire "
            "engineers who know Python, Terraform and Kubernetes.\n")
    ex = extractor.extract(make_doc("titles", text), chunk_text("titles", text))
    skills = {m.entity.label for m in ex.mentions if m.entity.kind == "skill"}
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert "how" not in skills and "what each role does" not in skills and "Tech" not in orgs
    assert {"Python", "Terraform"} <= skills and "Zorblax" in orgs  # what the same text does name


def test_employers_in_a_labelled_line_a_from_to_list_and_after_a_company_noun(extractor):
    """Set R's first run (employer recall 0.07): a labelled line of names, "companies from A, B and C to D and E",
    "the company X", "the social enterprise, X"; a city opening another name places none of them."""
    text = ("Data engineer\n\nEmployers involved in creating the standard:\n\n"
            "Zorbank, Ministry of Quills (MOQ), Compare the Market (BGL Group), Vexor Airways, "
            "Birmingham City University, Quindle\n\n"
            "Alumnae have gone on to work for big companies from Plonkbook and Twiddle to Ravenbury and NOSA. "
            "It began as a programme for the company Entrepreneur Prime. The social enterprise, Code First Lads, "
            "was spun out in 2014.\n\nCompanies often ask for:\n\nStrong Communication, Problem Solving\n")
    ex = extractor.extract(make_doc("lists", text), chunk_text("lists", text))
    orgs = {m.entity.label for m in ex.mentions if m.entity.kind == "org"}
    assert {"Zorbank", "Ministry of Quills", "Vexor Airways", "Quindle"} <= orgs
    assert "Compare" not in orgs  # the first word of "Compare the Market" is no name of its own
    assert "Strong Communication" not in orgs  # what companies ask for is no list of companies
    assert {"Ravenbury", "NOSA"} <= orgs and "Entrepreneur Prime" in orgs and "Code First Lads" in orgs
    placed = {c.object.rsplit("/", 1)[-1] for c in ex.claims if c.kind == "located_in"}
    assert "birmingham" not in placed  # the list's names are not in Birmingham
