"""The question read as a request: answer types, constraints, named sources, places, typos."""

from __future__ import annotations

import re

import pytest

from careerkg.graph.places import get_places
from careerkg.qa.figures import fits_type
from careerkg.qa.guides import DocView, contains, heading_before
from careerkg.qa.policy import Scope
from careerkg.qa.request import Constraint, Request, answer_type, places_in, source_phrases
from careerkg.qa.rolewords import unknown_roles
from careerkg.qa.spelling import Speller


@pytest.mark.parametrize("question, kind", [
    ("What does a senior MLE earn in London?", "amount"),
    ("How many employees does Ocado have?", "count"),
    ("What percentage of postings mention Python?", "percent"),
    ("How long is the apprenticeship?", "duration"),
    ("How much experience do juniors need?", "duration"),
    ("Who founded Featurespace?", "person"),
    ("Who is the hiring manager for the Zorb role in Leeds?", "person"),  # one post named by a job noun
    ("Who are the main recruiters in Leeds?", "explanation"),  # a group, not one person
    ("Who is a data engineer?", "explanation"),  # a definition, not a person
    ("What does a Technical Writer earn in London?", "amount"),
    ("Which companies hire in Leeds?", "list"),
    ("Where is Darktrace based?", "place"),
    ("Is a PhD required?", "yesno"),
    ("By how much did salaries rise last year?", "change"),
    ("Why do London employers pay more?", "explanation"),
])
def test_answer_type(question, kind):
    assert answer_type(question) == kind


@pytest.mark.parametrize("question, name", [
    ("According to Applyo, what do juniors earn?", "Applyo"),
    ("In JobLabs' salary table, what is the senior band?", "JobLabs"),
    ("per the recruiter's guide, what is the junior salary?", "recruiter"),
    ("according to indeed whats the avg salary", "indeed"),
])
def test_named_sources(question, name):
    assert source_phrases(question) == [name]


def test_a_starting_point_is_not_a_source():
    assert source_phrases("How do I move from data science to ML engineering?") == []


@pytest.mark.parametrize("question, names", [
    ("How long is the course that the Quillby Notes blogger joined?", ["Quillby Notes"]),  # a guide by its author
    ("whos the vp of data at acme in the zorb case study", ["zorb"]),
    ("What was Fenwick Capital's average pay per UK employee in 2015?", []),  # a rate, not a source
    ("how much more do testers in leeds earn than in hull on avg (2004 larch survey)", ["larch"]),
])
def test_sources_named_by_their_author_or_kind_and_rates_that_are_not_sources(question, names):
    assert source_phrases(question) == names


def test_a_closed_compound_matches_its_open_spelling_but_not_across_a_function_word():
    assert contains("a 16-week “boot camp” for coders", "bootcamp") and contains("a data set", "dataset")
    assert not contains("the rapist", "therapist")


def test_a_length_label_may_be_a_list_item():
    from careerkg.qa.evidence import LENGTH_LABEL

    assert LENGTH_LABEL.match("- Duration: Typically 2–3 years") and LENGTH_LABEL.match("| Duration | 12 months |")
    assert not LENGTH_LABEL.match("- Salary: £30,000")


def test_an_advert_location_line_is_a_place():
    from careerkg.qa.figures import is_location_line

    assert is_location_line("Cambridge, Cambridgeshire, United Kingdom")
    assert not is_location_line("Overview, Benefits, Apply") and not is_location_line("Machine Learning Scientist")


def test_places_come_from_a_world_gazetteer_not_from_the_guides():
    found = {p.name for p in places_in("What does an MLE earn in Inverness?", [], set())}
    assert found == {"Inverness"}
    assert {p.name for p in places_in("ML jobs in Porto", [], set())} == {"Porto"}
    # words that are also towns are not places without a preposition or capital letter
    assert places_in("Which skills are in demand?", [], set()) == []
    assert get_places().lookup("Scotland").in_uk


def test_unknown_roles_are_constraints():
    assert unknown_roles("What does a prompt engineer earn?", []) == ["prompt engineer"]
    assert unknown_roles("What does a senior engineer earn?", []) == []


def test_speller_fixes_typos_but_not_names_or_ambiguous_words():
    sp = Speller({"salary": 40, "senior": 30, "learning": 50, "engineer": 60, "employers": 20, "employees": 15})
    text, fixes = sp.correct("sallary of a senoir machine lerning engineer in Inverness")
    assert text == "salary of a senior machine learning engineer in Inverness"
    assert ("sallary", "salary") in fixes
    assert sp.correct("how many employes does it have")[0] == "how many employes does it have"


def test_fits_type_needs_the_right_kind_of_figure():
    assert fits_type("amount", "Seniors earn £95,000 – £145,000.")
    assert not fits_type("amount", "Seniors lead teams.")
    assert fits_type("percent", "Python appears in 92% of ads.")
    assert not fits_type("count", "It covers the 6 months to 29 December 2025.")
    assert fits_type("count", "1,008 permanent jobs cited it.")
    assert fits_type("duration", "The programme lasts 42 months.")


def test_table_rows_are_judged_with_their_header():
    text = "Pay\n| Level | London | Rest of UK |\n| Senior | £95k | £80k |\n"
    pos = text.index("| Senior")
    assert "London" in heading_before(text, pos)


def _doc(doc_id, text, title=""):
    return DocView(doc_id, title or doc_id, text)


def test_scope_names_what_no_guide_covers_and_restricts_to_named_sources():
    docs = {"a": _doc("a", "Senior ML engineers in London earn £95k.", "Applyo salary guide"),
            "b": _doc("b", "Senior ML engineers in Leeds earn £70k.", "Other guide")}
    req = Request("q", "q", "amount", [Constraint("place", "Inverness")])
    assert [c.value for c in Scope(req, docs, {}).unmet] == ["Inverness"]
    req = Request("q", "q", "amount", [Constraint("source", "Applyo")])
    sc = Scope(req, docs, {})
    assert sc.allowed == {"a"} and not sc.unmet
    req = Request("q", "q", "amount", [Constraint("source", "Glassdoor")])
    assert [c.kind for c in Scope(req, docs, {}).unmet] == ["source"]
    req = Request("q", "q", "amount", [Constraint("place", "Leeds")])
    sc = Scope(req, docs, {})
    assert sc.allowed == {"b"}
    assert sc.satisfies("b", 0, len(docs["b"].text)) == []
    assert contains("Jobs in Zürich", "zurich")


def test_a_day_rate_question_is_not_answered_by_a_yearly_figure():
    from careerkg.qa.request import pay_basis

    assert pay_basis("What day rate do contract data scientists charge?") == "day"
    assert pay_basis("What do data scientists earn?") is None
    docs = {"a": _doc("a", "Data scientists earn £55,100 a year.\nContract data scientists charge £500 per day.")}
    req = Request("q", "q", "amount", [Constraint("basis", "day")])
    sc = Scope(req, docs, {})
    first = docs["a"].text.index("\n")
    assert [c.kind for c in sc.satisfies("a", 0, first)] == ["basis"]
    assert sc.satisfies("a", first + 1, len(docs["a"].text)) == []
    assert [c.kind for c in sc.satisfies("a", 0, first, unit="YEAR")] == ["basis"]


def test_a_daily_routine_is_not_a_pay_basis_and_how_many_hours_counts_in_hours():
    from careerkg.qa.request import count_unit, pay_basis

    assert pay_basis("What time is the daily stand-up for a data engineer?") is None
    assert pay_basis("What is the daily rate for a contract data engineer?") == "day"
    assert count_unit("How many hours a week do data scientists work?") == "hour"
    assert count_unit("How long does the course take?") is None
    docs = {"a": _doc("a", "Moving from analyst to scientist takes 6-18 months.\nMost analysts work 37.5 hours a week.")}
    sc = Scope(Request("q", "q", "duration", [Constraint("unit", "hour")]), docs, {})
    first = docs["a"].text.index("\n")
    assert [c.kind for c in sc.satisfies("a", 0, first)] == ["unit"]
    assert sc.satisfies("a", first + 1, len(docs["a"].text)) == []


def test_a_level_binds_pay_figures_but_not_other_answers():
    text = "Harrogate\nAnalyst average: £31,000–£40,000\nSenior Analyst: £45,000–£58,000\n"
    docs = {"a": _doc("a", text)}
    avg, senior = text.index("Analyst average"), text.index("Senior Analyst")
    cons = [Constraint("role", "Analyst"), Constraint("seniority", "Senior"), Constraint("place", "Harrogate")]
    sc = Scope(Request("q", "q", "amount", list(cons)), docs, {})
    assert [c.kind for c in sc.satisfies("a", avg, avg + 34)] == ["seniority"]
    assert sc.satisfies("a", senior, senior + 31) == []  # the place comes from the heading above the run
    assert sc.satisfies("a", avg, avg + 34, seniority="Senior") == []  # a claim's own level decides
    sc = Scope(Request("q", "q", "list", list(cons)), docs, {})
    assert sc.satisfies("a", avg, avg + 34) == []
    # a level qualifies a role's pay: with no role ("the Graduate visa fee") a level word binds nothing
    sc = Scope(Request("q", "q", "amount", cons[1:]), docs, {})
    assert sc.satisfies("a", avg, avg + 34) == []
    from careerkg.qa.request import levels_named

    assert levels_named("| Analyst | 2–5 years | £40,000 |") == {"Mid"}
    assert levels_named("Lead / Principal Analyst") == {"Lead", "Principal"}
    lead = text + "Lead / Principal Analyst: £60,000–£75,000\n"
    docs2 = {"a": _doc("a", lead)}
    i = lead.index("Lead /")
    for asked, ok in (("Junior", False), ("Lead", True), ("Principal", True)):
        c2 = [Constraint("role", "Analyst"), Constraint("seniority", asked)]
        assert (Scope(Request("q", "q", "amount", c2), docs2, {}).satisfies("a", i, i + 42) == []) is ok, asked


def test_a_figure_line_is_not_a_heading():
    text = "Harrogate\nAnalyst average: £31,000–£40,000\nSenior Analyst: £45,000–£58,000\n"
    assert heading_before(text, text.index("Senior Analyst")) == "Harrogate"
    text = "Data Engineer Salary UK 2026: The Full Guide\nJunior roles start at £40,000.\n"
    assert heading_before(text, text.index("Junior")).startswith("Data Engineer Salary")


def test_several_places_are_met_by_evidence_for_any_one_of_them():
    docs = {"a": _doc("a", "Harrogate\nAnalyst average: £31,000\nRipon\nAnalyst average: £29,000\n"),
            "b": _doc("b", "Analysts in Hull earn £28,000.")}
    req = Request("q", "q", "amount", [Constraint("place", "Harrogate"), Constraint("place", "Ripon")])
    sc = Scope(req, docs, {})
    assert sc.allowed == {"a"} and not sc.unmet
    t = docs["a"].text
    h, r = t.index("Analyst average: £31"), t.index("Analyst average: £29")
    assert sc.satisfies("a", h, h + 24) == [] and sc.satisfies("a", r, r + 24) == []
    assert sc.places_met("a", h, h + 24) == {"Harrogate"} and sc.places_met("a", r, r + 24) == {"Ripon"}
    req = Request("q", "q", "amount", [Constraint("place", "Harrogate"), Constraint("place", "Inverness")])
    assert [c.value for c in Scope(req, docs, {}).unmet] == ["Inverness"]


def test_lower_case_places_are_places_when_they_name_a_big_uk_city_region_or_country():
    def names(q):
        return [p.name for p in places_in(q, [], set())]

    assert names("data engineer pay in glasgow?") == ["Glasgow"]
    assert names("data jobs in wales") == ["Wales"]
    assert names("which skills are in demand") == []
    assert names("ml jobs in nice weather") == []  # a common word naming a city abroad stays a word


def test_a_name_used_for_a_source_narrows_only_when_a_guide_is_it():
    from careerkg.qa.request import publisher_spans

    assert [n for n, _ in publisher_spans("Do the Fennick salary figures include bonuses?")] == ["Fennick"]
    docs = {"a": _doc("a", "Bonuses are extra.", "Fennick salary guide"), "b": _doc("b", "Bonuses vary.", "Other")}
    sc = Scope(Request("q", "q", "yesno", [Constraint("publisher", "Fennick")]), docs, {})
    assert sc.allowed == {"a"} and not sc.unmet
    sc = Scope(Request("q", "q", "yesno", [Constraint("publisher", "Harrogate")]), docs, {})
    assert sc.allowed == {"a", "b"} and not sc.unmet  # no guide is "Harrogate": just a word, nothing unmet


def test_two_part_questions_have_a_type_per_part():
    from careerkg.qa.request import answer_types

    assert answer_types("What time is the stand-up, and how long does it last?") == ("date", ("duration",))
    assert answer_types("What share of ads named Python, and what was it a year earlier?") == ("percent", ())
    assert answer_types("What is the difference between an analyst and a scientist?") == ("explanation", ())


def test_take_home_and_monthly_pay_are_a_pay_basis():
    from careerkg.qa.request import pay_basis

    assert pay_basis("How much would a senior analyst take home each month?") == "net"
    assert pay_basis("What is the monthly salary of a junior analyst?") == "month"
    assert pay_basis("What does a junior analyst earn?") is None
    text = "| Role | Salary | Est. Monthly Take-Home |\n| Junior Analyst | £30,000 | ~£2,018 |\n"
    docs = {"a": _doc("a", text)}
    row = text.index("| Junior")
    sc = Scope(Request("q", "q", "amount", [Constraint("basis", "net")]), docs, {})
    assert sc.satisfies("a", row, len(text) - 1) == []  # the header row says take-home
    assert [c.kind for c in sc.satisfies("a", row, len(text) - 1, unit="YEAR")] == ["basis"]  # a gross claim


def test_a_place_the_question_excludes_is_no_constraint():
    from careerkg.qa.understand import _excluded_place

    assert _excluded_place("Outside London, which cities pay most?", "London")
    assert _excluded_place("Which cities other than Leeds hire analysts?", "Leeds")
    assert not _excluded_place("What do analysts earn in London?", "London")
    assert not _excluded_place("Outside work, what do analysts in London do?", "London")


def test_what_does_x_say_about_y_names_x_not_about_y_as_its_source():
    from careerkg.qa.request import publisher_spans

    assert source_phrases("What does the Fennick report say about data engineers?") == []
    assert [n for n, _ in publisher_spans("What does Fennick say about analyst pay?")] == ["Fennick"]
    assert [n for n, _ in publisher_spans("What does the Fennick Trust report say about analysts?")][:1] == \
        ["Fennick Trust"]


def test_a_name_no_guide_mentions_is_unmet_and_one_they_mention_is_not():
    docs = {"a": _doc("a", "The Graduate visa lasts two years."), "b": _doc("b", "Skilled Worker visas need a sponsor.")}
    sc = Scope(Request("q", "q", "duration", [Constraint("name", "High Potential Individual")]), docs, {})
    assert [c.value for c in sc.unmet] == ["High Potential Individual"]
    sc = Scope(Request("q", "q", "duration", [Constraint("name", "Skilled Worker")]), docs, {})
    assert not sc.unmet and sc.allowed == {"b"}
    assert sc.satisfies("b", 0, 10) == []  # a name narrows the guides; it does not bind each sentence


@pytest.mark.parametrize("question, kind", [
    ("how much tech investment did the city get in 2022", "amount"),  # money without a pay word
    ("How much funding did the startup raise?", "amount"),
    ("Who wrote the report on AI vacancies?", "person"),
    ("How much data do analysts handle?", "count"),
])
def test_quantities_of_money_and_authorship_questions(question, kind):
    assert answer_type(question) == kind


def test_a_person_question_is_answered_by_the_relation_it_asks_for():
    from careerkg.qa.persons import AUTHORSHIP, person_relation, states_relation

    founded = person_relation("Who founded Quillfire?")
    assert states_relation(founded, "Quillfire was co-founded by Ada Obi in 2019.")
    assert not states_relation(founded, "It was hosted by Quillfire's head of insights Ada Obi.")
    assert not states_relation(founded, "Quillfire: an Edinburgh-created unicorn (pic: Ada Obi)")  # an adjective
    assert states_relation(person_relation("Who is the chief executive of Quillfire?"), "Ada Obi, CEO of Quillfire")
    assert person_relation("Who wrote the Quillfire report?") == AUTHORSHIP
    assert states_relation(AUTHORSHIP, "By Ada Obi")


def test_one_word_names_and_skills_the_question_names_are_constraints(shared_linker):
    from careerkg.qa.understand import QuestionUnderstanding

    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)  # request() needs the linker and NER only
    qu.linker = shared_linker
    qu._ner = None

    def cons(q):
        mentions = shared_linker.link(q, discover=False)
        return {(c.kind, c.value) for c in qu.request(q, q, mentions, None, []).constraints}

    # a name no list knows: an employer when NER reads it so, else a name (no English word, no place)
    assert {k for k, v in cons("Who is the chief executive of Quillfire?") if v == "Quillfire"} & {"name", "employer"}
    qu._ner_doc = shared_linker.nlp.make_doc  # when NER misses it, the word is still a name
    assert {k for k, v in cons("who is the chief executive of Quorvexa") if v == "Quorvexa"} & {"name", "employer"}
    # whose post it is, when NER misses a name made of an English word and a place ("Universities UK")
    assert ("employer", "Universities UK") in cons("Who is the chief executive of Universities UK?")
    assert not {k for k, _ in cons("Who runs the Graduate scheme in Leeds?")} & {"name"}  # English words, a place
    assert not {k for k, _ in cons("How much more do engineers get in London than the UK-wide bands?")} & {"name"}
    assert ("skill", "Snowflake") in cons("What share of data engineering ads mention Snowflake?")
    assert ("skill", "Python") not in cons("Which languages besides Python should analysts learn?")


def test_a_skill_constraint_binds_sentences_and_several_are_met_by_any():
    text = "MLflow is standard for experiment tracking. Snowflake appears in 30% of ads."
    cut = text.index("Snowflake")
    sc = Scope(Request("q", "q", "percent", [Constraint("skill", "Snowflake")]), {"a": _doc("a", text)}, {})
    assert sc.satisfies("a", 0, cut - 1) != [] and sc.satisfies("a", cut, len(text)) == []
    two = [Constraint("skill", "MLOps"), Constraint("skill", "Experiment tracking")]
    sc = Scope(Request("q", "q", "list", two), {"a": _doc("a", "MLOps tools. " + text)}, {})
    assert sc.satisfies("a", 13, 13 + cut - 1) == []  # names experiment tracking, not MLOps


def test_a_share_in_words_is_a_percentage():
    assert fits_type("percent", "One in five job vacancies advertised in the city is in the tech sector.")
    assert fits_type("percent", "A third of postings ask for Python.")
    assert not fits_type("percent", "Five job vacancies were advertised in one week.")


def test_who_questions_and_role_phrases_are_read_for_what_they_ask():
    from careerkg.qa.understand import _name_like

    assert answer_type("Who funds many PhD studentships?") == "explanation"  # not an amount for "funds"
    assert answer_type("Who founded Featurespace?") == "person"
    assert unknown_roles("How much more do product/growth analysts earn than BI/reporting analysts?", []) == \
        ["product/growth analyst", "BI/reporting analyst"]
    assert unknown_roles("Do most newer NHS analysts get funded CPD?", []) == ["NHS analyst"]
    assert not _name_like("AI / ML") and _name_like("Quorvane Analytics")


def test_a_pay_question_needs_pay_evidence_on_the_right_basis_and_the_figure_qualified_by_its_sentence():
    text = ("Kestrel AI, a startup in Dundee, raised £1.5m in seed funding.\n"
            "Analysts earn £40k–£55k. Dundee product roles top end.\n"
            "Contract analysts charge £400–£500/day.\n"
            "£550–750\n\nSenior contractor/day\n")
    docs = {"a": _doc("a", text)}
    funding, pay, rates = text.index("Kestrel"), text.index("Analysts earn"), text.index("Contract analysts")
    q = "What is the median salary in Dundee?"
    sc = Scope(Request(q, q, "amount", [Constraint("place", "Dundee")]), docs, {})
    assert [c.value for c in sc.satisfies("a", funding, text.index("\n"))] == ["pay"]  # funding is no pay
    line = text.index("\n", pay)
    assert [c.value for c in sc.satisfies("a", pay, line)] == ["Dundee"]  # "Dundee" qualifies no figure
    q = "What salary range do analysts get?"
    sc = Scope(Request(q, q, "amount", []), docs, {})
    assert [c.kind for c in sc.satisfies("a", rates, text.index("\n", rates))] == ["basis"]  # day rates
    q = "What day rate can a senior contractor charge?"
    sc = Scope(Request(q, q, "amount", [Constraint("basis", "day")]), docs, {})
    card = text.index("£550")
    assert sc.satisfies("a", card, len(text) - 1) == []  # the caption below a card's figure qualifies it


def test_a_sentence_pointing_back_is_read_and_quoted_with_its_antecedent():
    from careerkg.qa.compose import antecedent_start

    text = "Analyst jobs split into BI analyst and growth analyst tracks. The latter pays 15–25% more.\n"
    docs = {"a": _doc("a", text)}
    latter = text.index("The latter")
    sc = Scope(Request("q", "q", "change", [Constraint("role", "growth analyst")]), docs, {})
    assert sc.satisfies("a", latter, len(text) - 1) == []
    assert "growth analyst" in sc.context("a", latter)
    assert antecedent_start(text, latter) == 0
    assert antecedent_start(text, text.index("BI analyst")) == text.index("BI analyst")


def test_a_named_source_is_no_place_and_money_of_another_kind_is_no_answer():
    assert places_in("According to Harnham, what is the key reason people leave?", ["Harnham"], set()) == []
    assert answer_type("deadline to apply for the phd?") == "date"
    assert answer_type("what's the stipend for the phd") == "amount"
    text = "Senior AI engineers earn £115,000.\nThe studentship pays a living allowance of £21,805.\n"
    docs = {"a": _doc("a", text, "PhD studentship")}
    q = "what's the stipend for the phd"
    sc = Scope(Request(q, q, "amount", []), docs, {})
    first = text.index("\n")
    assert [c.value for c in sc.satisfies("a", 0, first)] == ["stipend"]
    assert sc.satisfies("a", first + 1, len(text) - 1) == []


def test_a_guide_about_one_place_answers_for_it_and_posts_are_roles():
    text = ("Tech jobs in Northern Ireland grew 10% this year, and Northern Ireland leads the regions.\n"
            "Northern Ireland firms are hiring. Software developers start at £27,500.\n"
            "Across the UK, developers earn £40,000.\n")
    docs = {"a": _doc("a", text, "Tech pay report")}
    q = "What starting salary can a software developer expect in Northern Ireland?"
    sc = Scope(Request(q, q, "amount", [Constraint("place", "Northern Ireland")]), docs, {})
    start = text.index("Software developers")
    assert sc.satisfies("a", start, text.index("\n", start)) == []  # no place of its own: the guide's place
    uk = text.index("Across the UK")
    assert [c.value for c in sc.satisfies("a", uk, len(text) - 1)] == ["Northern Ireland"]
    assert unknown_roles("What salary does Adlib quote for a Head of ML?", []) == ["Head of ML"]
    assert unknown_roles("What day rate does a contract data director charge?", []) == ["data director"]
    from careerkg.qa.request import levels_named
    assert levels_named("What starting salary can a developer expect?") == {"Junior"}


def test_make_is_pay_only_as_how_much_and_a_common_modifier_does_not_name_a_role():
    assert answer_type("Whats the most common mistake ppl make in interviews?") == "explanation"
    assert answer_type("how much do data scientists make?") == "amount"
    text = "Data roles\nContract analysts charge £450–650/day.\nA Data Director earns £110–160k.\n"
    docs = {k: _doc(k, text if k == "a" else f"Data jobs guide {k}.") for k in "abcd"}
    words = {"data": set("abcd"), "director": {"a"}}
    q = "What day rate does a contract data director charge?"
    sc = Scope(Request(q, q, "amount", [Constraint("role", "data director")]), docs, {}, words=words)
    start = text.index("Contract")
    assert [c.value for c in sc.satisfies("a", start, text.index("\n", start))] == ["data director"]


def test_british_and_american_spellings_meet_in_lexical_tokens():
    from careerkg.qa.text import stem, token_set

    for uk, us in [("practise", "practice"), ("analyse", "analyze"), ("organisation", "organization"),
                   ("optimising", "optimizing"), ("colour", "color"), ("centre", "center"), ("programme", "program")]:
        assert stem(uk) == stem(us), (uk, us)
    # words spelt the same on both sides are left alone
    assert stem("advise") != stem("advize") and stem("hour") == "hour" and stem("expertise") == "expertis"
    assert token_set("Where should I practise SQL?") & token_set("Practice on StrataScratch")


def test_a_guide_about_one_year_answers_for_it_and_a_site_it_names_narrows_to_it():
    """A sentence naming no year is of the year its guide is about (its title's, else the one it names most);
    a one-word source written as a name inside a sentence ("the job site Fennick") narrows to the guide
    citing it, while the common word ("Indeed, ...") does not; what follows "does X say" is no source."""
    from careerkg.qa.request import source_spans

    survey = _doc("s", "The 2022 report gives the average. Tech pay in Leeds came in at £60,000.\n"
                       "In 2022 the sample grew; 2021 was smaller.", "Tech salaries survey")
    assert survey.year == "2022" and _doc("t", "Pay in 2021 and in 2022.").year is None
    docs = {"s": survey, "o": _doc("o", "In 2019 pay in Leeds was £50,000.", "Other")}
    sc = Scope(Request("q", "q", "amount", [Constraint("period", "2022")]), docs, {})
    start = survey.text.index("Tech pay")
    assert sc.satisfies("s", start, survey.text.index(".", start) + 1) == []
    cited = _doc("c", "A study by the job listing site Fennick rated seven cities.", "Affordable tech hubs")
    common = _doc("d", "Cities are compared. " * 30 + "Fennick, the cities are close.", "Other hubs")
    sc = Scope(Request("q", "q", "amount", [Constraint("publisher", "Fennick")]), {"c": cited, "d": common}, {})
    assert sc.allowed == {"c"}
    assert source_spans("What does Fennick say the average tech salary is in Leeds?") == []
    assert [n for n, _ in source_spans("how much did pay in leeds go up in fennick's 2022 report?")] == ["fennick"]  # the year is the period


def test_a_skill_most_guides_name_is_their_common_ground_not_a_constraint():
    """"what kind of machine learning" over guides about machine learning: the skill names no guide apart,
    so the evidence need not repeat it; a skill few guides name still binds."""
    texts = {f"g{i}": f"Machine learning roles in city {i} pay well." for i in range(5)}
    texts["r"] = "Rustacean teams use Rust for machine learning serving."
    docs = {d: _doc(d, t) for d, t in texts.items()}
    words: dict[str, set[str]] = {}
    for d, v in docs.items():
        for w in re.findall(r"\w+", v.text.lower()):
            words.setdefault(w, set()).add(d)
    ml, rust = Constraint("skill", "Machine learning"), Constraint("skill", "Rust")
    sc = Scope(Request("q", "q", "explanation", [ml]), docs, {}, words=words)
    assert sc.common == {id(ml)} and sc.satisfies("g0", 0, 10) == []
    sc = Scope(Request("q", "q", "explanation", [rust]), docs, {}, words=words)
    assert not sc.common and sc.allowed == {"r"}


def test_a_question_for_organisations_needs_evidence_naming_one_and_demonyms_are_places():
    """"Which companies hire in Cardiff?" is not answered by a sentence naming none ("The city's main jobs
    include data scientists"); "Scottish tech firms" asks about Scotland."""
    from careerkg.qa.request import asks_organisations

    assert asks_organisations("Which companies are hiring data scientists in Leeds?")
    assert asks_organisations("which ai startups in york raised money?") and not asks_organisations(
        "Which skills do data scientists need?")
    docs = {"a": _doc("a", "The city's main jobs include data scientists. Firms such as Zentrix Labs hire here.")}
    req = Request("Which companies hire data scientists?", "Which companies hire data scientists?", "list", [])
    sc = Scope(req, docs, {}, org_names={"zentrix": ("zentrix labs",)})
    text = docs["a"].text
    first = text.index(".") + 1
    assert [c.value for c in sc.satisfies("a", 0, first)] == ["named organisations"]
    assert sc.satisfies("a", first + 1, len(text)) == []
    assert [p.name for p in places_in("what % of scottish tech firms offer hybrid working", [], set())] == ["Scotland"]


def test_a_price_paid_for_a_company_is_no_pay_and_a_pay_gap_is_a_difference():
    from careerkg.qa.figures import asks_pay, money_kind_missing

    q = "How much did Zentrix reportedly pay for Orvane?"
    assert not asks_pay(q) and asks_pay("How much do they pay for a senior ML engineer?")
    bought, paid = "Orvane, bought for a reported £40 million, moves soon.", "Orvane pays engineers £60,000."
    assert money_kind_missing(q, bought, bought, "") is None and money_kind_missing(q, paid, paid, "") is not None
    assert asks_pay("What's the median pay for London jobs that need machine learning?")
    assert answer_type("whats the median hourly gender pay gap at big tech firms?") == "change"


def test_a_year_or_quarter_in_a_source_name_is_its_edition_and_was_questions_are_yes_no():
    docs = {"a": _doc("fennick-tech-cities-2015", "Fennick's Tech Cities report for 2015 Q2 ranks Leeds third."),
            "b": _doc("other-guide-2015", "In 2015 Q2 adverts fell.")}
    for name in ("Fennick's 2015", "Fennick' Q2 2015"):
        sc = Scope(Request("q", "q", "place", [Constraint("source", name)]), docs, {})
        assert sc.allowed == {"a"} and not sc.unmet, name
    assert answer_type("Was London the best-paid city in the 2022 report?") == "yesno"


def test_durations_written_with_a_non_breaking_hyphen_are_durations():
    assert fits_type("duration", "Join our two\u2011year scheme across three eight\u2011month placements.")


def test_a_source_named_partly_in_common_words_needs_its_whole_name():
    """"according to Women in Data": a guide whose opening says "women in the sector" is not that source; the
    guide that cites the network by its name is."""
    from careerkg.qa.request import source_spans

    q = "What share of AI jobs did women hold in 2019, according to Women in Data?"
    assert [n for n, _ in source_spans(q)] == ["Women in Data"]
    docs = {"a": _doc("a", "Women in the sector earn less per hour than men.", "Gender pay gap"),
            "b": _doc("b", "The Women in Data network says the share of women fell to 20% in 2019.", "Data jobs")}
    sc = Scope(Request(q, q, "percent", [Constraint("source", "Women in Data")]), docs, {})
    assert sc.allowed == {"b"} and not sc.unmet
    assert source_spans("how much do ML contractors charge per day in the UK?") == []


def test_people_named_by_a_job_no_list_knows_are_roles():
    # ESCO's occupations name the job; the words before it are an employer or a way of working, not the role
    assert unknown_roles("how much do Quorvexa statisticians in york get paid?", []) == ["statistician"]
    assert unknown_roles("What do economists at the central bank earn?", []) == ["economist"]
    assert unknown_roles("what do actuaries earn in leeds", []) == ["actuary"]  # whoever is paid is a role
    assert unknown_roles("how much does a data steward make", []) == ["data steward"]
    assert unknown_roles("what are the main drivers of pay", []) == []  # a thing, not a person
    assert unknown_roles("how much can you earn as a junior", []) == []
    assert unknown_roles("what do tech workers earn", []) == []  # people in general


@pytest.mark.parametrize("question, kind", [
    ("Which minister announced the new pay offer?", "person"),  # one person named by a job
    ("Who was the founding chair of the Quorvexa Institute?", "person"),
    ("According to Quorvexa's CEO, why do firms want staff back?", "explanation"),
    ("where should i practise sql before interviews?", "explanation"),  # advice, not a place
    ("Where is Quorvexa based?", "place"),
])
def test_who_did_it_why_and_where_questions(question, kind):
    assert answer_type(question) == kind


def test_a_name_of_three_or_more_words_is_also_known_by_its_initials():
    from careerkg.text import acronyms

    assert acronyms("UK AI Safety Institute") == ("UKAISI", "AISI")
    assert acronyms("Office for National Statistics") == ("ONS",)
    assert acronyms("Women in Data") == ()  # two words: no acronym to trust
    docs = {"a": _doc("a", "The Quorvexa Research Institute (QRI) hires.\n\nQRI pays graduates £30,000.")}
    sc = Scope(Request("q", "q", "amount", [Constraint("employer", "Quorvexa Research Institute")]), docs, {})
    start = docs["a"].text.index("QRI pays")
    assert sc.satisfies("a", start, len(docs["a"].text)) == []


def test_where_and_when_founded_need_evidence_that_says_so():
    text = ("Top employers include Acme's Leeds office, Quorvexa and Brightly. Quorvexa, a York-based lab, was "
            "founded in 2015. Quorvexa grew 40% in 2020.")
    docs = {"a": _doc("a", text)}
    where = Scope(Request("where is Quorvexa based?", "where is Quorvexa based?", "place",
                          [Constraint("employer", "Quorvexa")]), docs, {})
    first = text.index(". ") + 1
    assert where.satisfies("a", 0, first) != []  # a list naming Quorvexa beside Leeds does not say where it is
    assert where.satisfies("a", first + 1, text.index("2015") + 5) == []
    when = Scope(Request("when was Quorvexa founded?", "when was Quorvexa founded?", "date",
                         [Constraint("employer", "Quorvexa")]), docs, {})
    grew = text.index("Quorvexa grew")
    assert when.satisfies("a", grew, len(text)) != []  # a year Quorvexa is named in is no founding date
    assert when.satisfies("a", first + 1, text.index("2015") + 5) == []


def test_a_figure_is_about_the_place_of_its_own_sentence():
    text = ("Heads of data in York earn £120k. This equals the pay in Leeds and Hull. Data architects earn £90k.")
    docs = {"a": _doc("a", text)}
    sc = Scope(Request("q", "how much do data architects earn in Hull", "amount",
                       [Constraint("role", "data architect"), Constraint("place", "Hull")]), docs, {})
    assert [c.value for c in sc.satisfies("a", 0, len(text))] == ["Hull"]  # Hull is not the £90k's place
    pay = Scope(Request("q", "what is the average salary of the new jobs", "amount", []), docs, {})
    big = _doc("b", "The 800 new jobs will bring £25m in annual salaries.")
    pay.docs["b"], pay.allowed = big, {"a", "b"}
    assert [c.value for c in pay.satisfies("b", 0, len(big.text))] == ["pay"]  # a sum of salaries is no one's pay


def test_a_label_line_is_read_under_the_lines_above_it_and_a_location_label_places_the_guide():
    text = ("Data Science MSc\n\nFees for 2025-26 (per academic year)\nUK: £9,000\nInternational: £21,000\n"
            "Location\nExeter\n\nA conversion course for graduates.")
    docs = {"a": _doc("a", text)}
    q = "what are the exeter msc fees for uk students?"
    sc = Scope(Request(q, q, "amount", [Constraint("place", "Exeter")]), docs, {})
    uk, intl = text.index("UK: £9,000"), text.index("International")
    assert sc.satisfies("a", uk, uk + len("UK: £9,000")) == []  # "fees" from the line above; Exeter from its label
    assert sc.satisfies("a", intl, intl + len("International: £21,000")) == []
    q = "what are the exeter msc fees?"
    sc = Scope(Request(q, q, "amount", [Constraint("place", "York")]), docs, {})
    assert sc.unmet  # the guide is Exeter's, not York's


def test_how_long_questions_measure_the_thing_they_name():
    from careerkg.qa.request import lasting_thing

    assert lasting_thing("How long does a Level 4 software developer apprenticeship usually last?") == "apprenticeship"
    assert lasting_thing("how long is the quorvexa msc full time?") == "msc"
    assert lasting_thing("How long does it take to become a data scientist?") is None
    assert not fits_type("duration", "23 years earlier, I started my first apprenticeship.")  # when, not how long
    text = "The Quorvexa apprenticeship lasts 18 months. The pay rise is staggered over two years."
    q = "How long does the Quorvexa apprenticeship last?"
    sc = Scope(Request(q, q, "duration", []), {"a": _doc("a", text)}, {})
    cut = text.index("The pay")
    assert sc.satisfies("a", 0, cut - 1) == [] and sc.satisfies("a", cut, len(text)) != []


def test_the_pay_of_a_scheme_and_lower_case_names_in_a_names_slot_are_constraints(shared_linker):
    from careerkg.qa.understand import QuestionUnderstanding

    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)  # request() needs the linker and NER only
    qu.linker = shared_linker
    qu._ner = None
    qu._ner_doc = shared_linker.nlp.make_doc

    def cons(q):
        return {(c.kind, c.value) for c in qu.request(q, q, shared_linker.link(q, discover=False), None, []).constraints}

    assert ("name", "school leaver programme") in cons("xyq school leaver programme salary in leeds")
    assert ("employer", "quorvexa") in cons("when was quorvexa founded?")
    assert ("employer", "quorvexa") in cons("where is quorvexa based?")
    assert not {k for k, _ in cons("where is the company based?")} & {"employer", "name"}  # English words


def test_question_words_in_any_case_and_places_under_their_own_names():
    from careerkg.qa.figures import names_any_place

    assert unknown_roles("What do actuaries earn?", []) == ["actuary"]  # "What" as well as "what"
    assert unknown_roles("economists and statisticians earn what?", []) == ["economist", "statistician"]
    assert answer_type("What does a statistician need to know?") != "person"  # "need" is no deed of one person
    assert not names_any_place("Google DeepMind, Synthesia and ElevenLabs")  # "Google" is an alternate name of Topeka
    assert names_any_place("offices in Paris and Dublin") and names_any_place("based in Shoreditch")
    assert not fits_type("duration", "a 40-year-old father of three")


def test_an_abstention_names_the_source_whose_guides_lack_the_constraint():
    from careerkg.qa.unmet import reason

    place = [Constraint("place", "Hull")]
    assert reason(place) == "The guides have nothing for Hull."
    assert reason(place, ["Quorvexa"]) == "The guides matching “Quorvexa” have nothing for Hull."
    assert reason([Constraint("source", "Quorvexa")], ["Quorvexa"]).startswith("The guides have nothing from")


def test_names_the_guides_only_write_capitalised_are_names_in_lower_case(shared_linker):
    from careerkg.qa.guides import proper_nouns
    from careerkg.qa.understand import QuestionUnderstanding

    docs = {"a": _doc("a", "Quorvexa runs a two-year scheme. TfL pays £31,000. The data team is large."),
            "b": _doc("b", "Join TfL. Quorvexa hires analysts.")}
    proper = proper_nouns(docs)
    assert proper["quorvexa"] == "Quorvexa" and proper["tfl"] == "TfL"
    assert "data" not in proper and "join" not in proper  # English words, or written in lower case too
    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)
    qu.linker, qu._ner, qu._ner_doc = shared_linker, None, shared_linker.nlp.make_doc
    q = "how long is the tfl scheme"
    cons = {(c.kind, c.value) for c in qu.request(q, q, shared_linker.link(q, discover=False), None, [], proper).constraints}
    assert ("name", "TfL") in cons


def test_a_programme_year_two_part_questions_and_how_recent():
    from careerkg.qa.request import answer_types, programme_year_named

    assert programme_year_named("£31,000 rising to £32,250 in year 2", "2")
    assert programme_year_named("typically increasing to £33,000 in the second year", "2")
    assert programme_year_named("pay for year fours rises to £37,022", "4")
    assert not programme_year_named("£31,000 rising to £32,250 in year 2", "3")
    assert answer_types("How much will the jobs generate in salaries, and over how long?") == ("amount", ("duration",))
    assert answer_type("how recent does my degree need to be?") == "duration"
    text = "Salary: £31,000 rising to £32,250 in year 2"
    for q, ok in (("whats the grad salary in year 3", False), ("whats the grad salary in year 2", True)):
        c = Constraint("period", "year 3" if "3" in q else "year 2")
        sc = Scope(Request(q, q, "amount", [c]), {"a": _doc("a", text, "Data Science Graduate")}, {})
        assert (sc.satisfies("a", 0, len(text)) == []) is ok, q


def test_a_table_row_is_read_under_a_header_flattened_one_cell_per_line():
    from careerkg.text import table_header

    text = ("| Level 3 Data Technician |\nLevel 4 AI Practitioner |\nLevel 6 ML Fellowship |\n|\n|---|---|---|---|\n"
            "| Duration | 12–15 months | 15–18 months | 18–24 months |\n")
    row = text.index("| Duration")
    assert "Level 6 ML Fellowship" in table_header(text[:row]) and "Level 3" in table_header(text[:row])
    q = "how long is a level 3 data technician apprenticeship"
    sc = Scope(Request(q, q, "duration", [Constraint("role", "data technician")]),
               {"a": _doc("a", "AI apprenticeship levels compared\n" + text)}, {})
    start = len("AI apprenticeship levels compared\n") + row
    assert sc.satisfies("a", start, start + len(text) - row - 1) == []
    assert fits_type("duration", "I spent much of the twelve intense weeks learning")
    assert not fits_type("duration", "A typical day starts at nine")


def test_a_share_of_ai_companies_needs_ai_and_a_negated_role_is_no_constraint(shared_linker):
    cons = _constraints_of(shared_linker)
    assert ("skill", "AI") in cons("How many AI companies are there in Cardiff?")
    assert ("employer", "University of Edinburgh") in cons("avg postdoc salary at the university of edinburgh?")
    assert not {v for k, v in cons("which labs hire researchers other than data scientists?") if k == "role"} & {
        "Data Scientist"}


def test_a_count_question_needs_a_count_of_what_it_counts():
    from careerkg.qa.request import counted_name, counted_noun

    assert counted_noun("how many tech companies r there in cambridge") == "companies"
    assert counted_noun("how many software and engineering roles is pwc hiring") == "roles"
    assert counted_noun("How many hours a week do ML engineers work?") is None  # a unit: count_unit's
    assert counted_name("How many Government Statistical Group statisticians did the ONS have?") == \
        "Government Statistical Group"
    text = ("Oxford County Council has offered a business administration apprentice role. "
            "Manchester has more than 1,600 start-ups and scale-ups employing about 60,000 people.")
    cut = text.index("Manchester")
    for q, span, ok in (("how many tech companies are there?", (cut, len(text)), True),
                        ("how many tech companies are there?", (0, cut - 1), False),
                        ("how many people work there?", (cut, len(text)), True)):
        sc = Scope(Request(q, q, "count", []), {"a": _doc("a", text)}, {})
        assert (sc.satisfies("a", *span) == []) is ok, (q, span)
    from careerkg.qa.evidence import counts

    assert counts("vacancies", "tech vacancies in the region have increased from 5,099 in December 2020 to 9,287")
    assert counts("companies", "the number of companies reached 1,308")
    assert not counts("vacancies", "Tech vacancies rose in 2021.")  # a year, not a count
    assert not counts("vacancies", "Tech vacancies rose by 20% last year.")  # a change, not a count


def test_institutions_acronyms_and_years_are_read_narrowly(shared_linker):
    from careerkg.qa.request import programme_year_named

    cons = _constraints_of(shared_linker)
    assert ("employer", "University of Edinburgh") in cons("what do postdocs at the university of edinburgh earn?")
    assert ("skill", "UK") not in cons("How many UK companies use AI?")
    assert not fits_type("duration", "the 2023 financial year")
    assert not programme_year_named("a two-year scheme", "2") and programme_year_named("in year two", "2")


def test_a_newspaper_per_cent_and_a_person_of_an_organisation_as_source():
    assert fits_type("percent", "£4.6bn (68pc) of the UK's tech investment was spent outside the capital")
    assert not fits_type("percent", "the PC market grew")
    text = "But now, according to Ruth Jacobs, managing director of Quorvexa business solutions, pay rose 5%."
    q = "According to Quorvexa's Ruth Jacobs, by how much did pay rise?"
    sc = Scope(Request(q, q, "percent", [Constraint("source", "Quorvexa's Ruth Jacobs")]),
               {"a": _doc("a", text), "b": _doc("b", "Pay rose 9% at Quorvexa.")}, {})
    assert sc.allowed == {"a"} and not sc.unmet


def _constraints_of(linker):
    """``question -> {(kind, value)}``: the request's constraints, read with the linker and no NER model
    (``request()`` needs only those; a name NER would tag is then found by the word rules)."""
    from careerkg.qa.understand import QuestionUnderstanding

    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)
    qu.linker, qu._ner, qu._ner_doc = linker, None, linker.nlp.make_doc
    return lambda q: {(c.kind, c.value) for c in qu.request(q, q, linker.link(q, discover=False), None, []).constraints}


def test_a_name_found_in_a_guide_links_whatever_its_apostrophe_and_its_words_are_no_role(shared_linker):
    from careerkg.qa.understand import QuestionUnderstanding

    linker = shared_linker
    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)
    qu.linker, qu._ner, qu._ner_doc, qu._abbrev = linker, None, linker.nlp.make_doc, []
    labels = {"https://careerkg.example/id/org/weve-got-coders": ["We’ve Got Coders"]}  # as a guide writes it
    q = "How much does the We've Got Coders coding retreat cost?"  # as a user types it
    mentions = qu._more_mentions(q, linker.link(q, discover=False), labels)
    assert [(m.surface, m.entity.kind) for m in mentions if m.entity.kind == "org"] == [("We've Got Coders", "org")]
    cons = {(c.kind, c.value) for c in qu.request(q, q, mentions, None, []).constraints}
    assert ("employer", "We’ve Got Coders") in cons
    assert not any(kind == "role" for kind, _ in cons)  # "Coders" is part of the name, not a role asked about


def test_a_programme_named_by_a_capitalised_word_and_its_kind_is_a_name(shared_linker):
    cons = _constraints_of(shared_linker)
    assert ("name", "Scale-up visa") in cons("What is the minimum salary for a Scale-up visa?")
    assert ("name", "Graduate visa") in cons("Can I extend my Graduate visa?")
    skilled = cons("What did the Skilled Worker visa's minimum salary rise to?")
    assert ("name", "Skilled Worker") in skilled and not any("visa" in v for _, v in skilled)  # the name is asked already
    names = {v for k, v in cons("Which graduate schemes pay the most?") if k == "name"}
    assert not any("Which" in v for v in names)  # a question word is no part of a programme's name



def test_a_count_is_of_what_its_own_passage_names_not_of_a_byline():
    from careerkg.qa.text import tokens

    assert tokens("We’ve Got Coders") == tokens("We've Got Coders")  # a typed apostrophe is the guide's
    text = ("Is Cambridge Silicon Valley? Dr Ana Rees, CEO of Quorvexa, explores the answer.\n\n"
            "Cambridge is home to 5,000 tech companies, employing around 68,000 people.\n\n"
            "Quorvexa pays graduates £31,000.")
    count = "How many people does Quorvexa employ?"
    sc = Scope(Request(count, count, "count", [Constraint("employer", "Quorvexa")]), {"a": _doc("a", text)}, {})
    a = text.index("Cambridge is home")
    assert Constraint("employer", "Quorvexa") in sc.satisfies("a", a, text.index(".", a) + 1)
    pay = "How much does Quorvexa pay graduates?"
    sc = Scope(Request(pay, pay, "amount", [Constraint("employer", "Quorvexa")]), {"a": _doc("a", text)}, {})
    a = text.index("Quorvexa pays")
    assert not sc.satisfies("a", a, len(text))  # its own sentence names it


def test_a_source_is_named_by_its_acronym_its_parts_or_its_words_and_its_year_is_a_period():
    from careerkg.text import expansion

    assert source_phrases("How long does it last, according to the Guardian in 2012?") == ["Guardian"]
    assert source_phrases("In the Guardian's 2012 article, what did it pay?") == ["Guardian"]
    assert source_phrases("How many visas had Tech Nation endorsed, according to its 2020 Visa Report?") == []
    assert "Guardian" not in unknown_roles("What did it pay, according to the Guardian?", [])
    assert "guardian" in " ".join(unknown_roles("what does a legal guardian earn", []))  # a job in lower case
    text = "New statistics from the Higher Education Statistics Agency show that ten per cent were unemployed."
    assert expansion("HESA", text) == "Higher Education Statistics Agency" and expansion("HES", text) is None
    docs = {"a": _doc("a", "HESA counts graduates."), "b": _doc("b", text),
            "c": _doc("c", "A report from Quorvexa Search and jobs firm Vacancysoft shows roles rose 26 per cent."),
            "d": _doc("d", "The latest annual report by the Review Body on Senior Salaries names DDaT pay."),
            "e": _doc("e", "Senior salaries rose; the review said so.")}
    scope = lambda src: Scope(Request("q", "q", "percent", [Constraint("source", src)]), docs, {}).allowed  # noqa: E731
    assert scope("HESA") == {"a", "b"}
    assert scope("Quorvexa Search and Vacancysoft") == {"c"}
    assert scope("senior salaries review") == {"d"}  # its words as a name, in one sentence
    role = Constraint("role", "Director of technology")
    sc = Scope(Request("q", "q", "person", [role]), {"f": _doc("f", 'said Ben Ames, associate director, technology at X.')}, {})
    assert sc.allowed == {"f"} and not sc.unmet


def test_a_name_in_brackets_closing_the_question_is_its_source():
    from careerkg.qa.request import answer_types

    assert source_phrases("median tech sallary in edinburgh (adzuna 2021)") == ["adzuna"]
    assert source_phrases("how many tech ppl want a full time office job? (hays survey)") == ["hays"]
    assert source_phrases("Is it so, according to BCS (2020)?") == ["BCS"]
    assert source_phrases("mlops eng salary outside london, mid level (2-5 yrs)?") == []
    assert source_phrases("which companies shape data jobs in manchester (the mediacity effect)?") == []
    assert source_phrases("what % of cyber security people wfh (2022 salary survey)") == []
    assert answer_types("how many tech ppl actually want a full time office job?") == ("count", ("percent",))
    assert answer_types("how many tech companies are there in Leeds?") == ("count", ())
    docs = {"a": _doc("a", "The Higher Education Statistics Agency counts graduates."), "b": _doc("b", "Graduates.")}
    assert Scope(Request("q", "q", "percent", [Constraint("source", "hesa")]), docs, {}).allowed == {"a"}


def test_a_guide_naming_no_year_is_dated_by_its_address_and_its_opening_names_its_subject():
    text = ("How to get ahead in the service\n\nA photo caption about an actor.\n" + "Some scene setting. " * 15 +
            "\n\nThe service – Quorvexa – is looking for up to 100 school leavers.\n\n"
            "They will be paid a salary of £17,066.")
    v = DocView("g", "How to get ahead", text, source_url="https://example.org/news/2012/nov/20/get-ahead")
    assert v.year == "2012" and DocView("h", "t", "Pay rose in 2021.", source_url=v.source_url).year == "2021"
    assert DocView("i", "t", "No year.", source_url="https://example.org/jobs/2012-graduates").year is None
    q = "In the 2012 article, what salary did the Quorvexa apprenticeship pay?"
    sc = Scope(Request(q, q, "amount", [Constraint("employer", "Quorvexa"), Constraint("period", "2012")]),
               {"g": v}, {})
    assert sc.allowed == {"g"} and sc.satisfies("g", text.index("They will"), len(text)) == []


def test_a_year_naming_a_sources_edition_holds_for_that_guides_every_sentence(shared_linker):
    from careerkg.qa.request import edition_years

    assert edition_years("How many digital companies did the Tech Nation 2015 report analyse?") == {"2015"}
    assert edition_years("how many ppl work in uk digital industries (tech nation 2015)") == {"2015"}
    assert edition_years("What is the average salary in London in 2023?") == set()
    text = "Research began in early 2014, with 47,200 digital companies analysed."
    docs = {"t": _doc("t", text, "Tech Nation 2015: the digital economy"), "o": _doc("o", "In 2014 there were 9 firms.")}
    q = "How many digital companies did the Quorvexa 2015 report analyse?"
    sc = Scope(Request(q, q, "count", [Constraint("employer", "Quorvexa"), Constraint("period", "2015")]),
               {"t": _doc("t", "Quorvexa: " + text, "Quorvexa 2015")}, {})
    assert sc.satisfies("t", 10, len(text) + 10) == []
    plain = "How many digital companies were analysed in 2015?"  # a year, no edition: the sentence's 2014 is not it
    sc = Scope(Request(plain, plain, "count", [Constraint("period", "2015")]), docs, {})
    assert Constraint("period", "2015") in sc.satisfies("t", 0, len(text))
    assert ("role", "guardian") not in _constraints_of(shared_linker)(
        "how many school leavers did the agencies want (guardian 2012)")


def test_a_table_flattened_without_its_first_pipe_is_read_by_column():
    from careerkg.qa.evidence import level_cell_has_figure
    from careerkg.text import is_table_row, line_kind

    header = "Junior (0-3 years) | Mid-level (4-8 years) | Senior (9+ years) | Freelance Rate | |"
    row = "United Kingdom (£) | - | 84,500 | 115,000 | 530-800 (p/d) |"
    assert is_table_row(row) and line_kind(row) == "table" and not is_table_row("Pay | rose.")
    assert not level_cell_has_figure(header, row, "Junior")  # its cell is "-": no junior pay
    assert level_cell_has_figure(header, row, "Mid") and level_cell_has_figure(header, row, "Senior")
    assert level_cell_has_figure("| Level | London |", "| Senior | £95,000 |", "Senior")  # the level is the row's
    text = f"How much do they make?\n{header}\n---|---|---|---|---|\n{row}\n"
    q = "What does a junior technical architect earn?"
    sc = Scope(Request(q, q, "amount", [Constraint("seniority", "Junior"), Constraint("role", "technical architect")]),
               {"n": _doc("n", text, "Technical Architect salary")}, {})
    a = text.index("United Kingdom")
    assert Constraint("seniority", "Junior") in sc.satisfies("n", a, a + len(row))


def test_an_organisation_is_named_by_its_kind_in_a_persons_post():
    from careerkg.qa.persons import _named_by_kind

    assert _named_by_kind("Alan Turing Institute", "Dr. Jean Innes, the institute’s chief executive, stated")
    assert not _named_by_kind("Alan Turing Institute", "An institute's chief executive said")  # not "the"
    assert not _named_by_kind("Quorvexa", "the quorvexa chief")  # a one-word name has no kind word


def test_a_name_the_guides_write_glued_is_found_typed_as_two_words(shared_linker):
    from careerkg.qa.understand import QuestionUnderstanding

    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)
    qu.linker, qu._ner, qu._ner_doc = shared_linker, None, shared_linker.nlp.make_doc
    q = "how many ppl work at the quorvexa mediahub uk base"
    proper = {"mediahubuk": "MediaHubUK", "quorvexa": "Quorvexa"}
    cons = {(c.kind, c.value) for c in qu.request(q, q, shared_linker.link(q, discover=False), None, [],
                                                    proper).constraints}
    assert ("name", "MediaHubUK") in cons and ("name", "Quorvexa") in cons


def test_a_change_of_pay_is_no_amount_and_no_implausible_pay():
    from careerkg.ingest.salary import implausible_money

    text = ("UX designers have seen drops of up to 11% (-£5,000) for juniors, while freelance day rates are still "
            "rising, approximately £50 more per day than in 2021.")
    assert not implausible_money(text)  # the sentence is a candidate answer
    assert implausible_money("Data scientists earn a salary of £5 a year.")
    assert not fits_type("amount", "earning approximately £50 more per day than in 2021")  # a change, no day rate
    assert fits_type("amount", "Freelancers earn £550 per day.") and fits_type("change", text)


def test_a_place_is_named_by_its_demonym_and_a_source_by_what_an_article_is_on():
    text = "Scottish coders are paid £51,215, which is 1.6 times higher."
    q = "how much do scottish coders get paid"
    sc = Scope(Request(q, q, "amount", [Constraint("place", "Scotland")]), {"c": _doc("c", text)}, {})
    assert sc.allowed == {"c"} and sc.satisfies("c", 0, len(text)) == []
    assert source_phrases("When did it run, according to the article on the Quorvexa Foundation's pilot?") == \
        ["Quorvexa Foundation's pilot"]


def test_review_edge_cases_of_the_new_rules():
    from careerkg.ingest.salary import implausible_money
    from careerkg.qa.evidence import level_cell_has_figure
    from careerkg.qa.persons import _named_by_kind
    from careerkg.qa.request import edition_years

    # a trailing empty column is no missing label column
    assert level_cell_has_figure("| Region | Junior | Senior | |", "| London | 30,000 | 50,000 | |", "Junior")
    assert not level_cell_has_figure("| Region | Junior | Senior | |", "| London | - | 50,000 | |", "Junior")
    # a list item's dash is no minus sign; "up to" is a range
    assert fits_type("amount", "- £45,000 for graduates") and fits_type("amount", "from £40k up to £60k")
    assert not implausible_money("UX designers saw drops of up to 11% (-£5,000) for juniors.")
    # brackets that qualify a figure or name a place are no source
    for q in ("what do data scientists earn (london)?", "what do they earn (approx)?", "pay (before tax)?"):
        assert source_phrases(q) == []
    assert edition_years("In 2019, how many firms did Quorvexa count?") == set()  # a sentence's first word
    assert "Surveyor" in " ".join(unknown_roles("how much does a Quantity Surveyor earn", []))
    assert not _named_by_kind("Women in Data", "the data show it")  # "Data" is no kind of organisation


def test_a_quoted_titles_year_stays_in_it_and_a_share_answers_how_many_people_who():
    from careerkg.qa.request import answer_types

    assert source_phrases("According to HEE's 'Data driven healthcare in 2030' report, how many?") == \
        ["HEE's 'Data driven healthcare in 2030"]
    assert source_phrases("When did it collapse, according to AltFi's 2023 report on London tech jobs?") == ["AltFi"]
    q = "how many tech workers who told their employer got a supportive response?"
    assert answer_types(q) == ("count", ("percent",))
    text = "Of those who told their employer, 45% said the response was supportive."
    sc = Scope(Request(q, q, "count", [], part_types=("percent",)), {"p": _doc("p", text)}, {})
    assert sc.satisfies("p", 0, len(text)) == []  # a share of those counted


def test_a_date_question_names_the_event_its_evidence_must_state():
    from careerkg.qa.policy import asked_event

    event, pattern = asked_event("When did Quillby's new Leeds office open?")
    assert event == "opening" and re.search(pattern, "The office opened in May 2024.", re.I)
    assert not re.search(pattern, "By 2030 the firm plans 300 jobs.", re.I)
    assert asked_event("when did the institute launch its strategy")[1] and \
        re.search(asked_event("when did the institute launch its strategy")[1], "It introduced the strategy in 2022")
    assert asked_event("When is the deadline?") is None and asked_event("When was Zorb founded?") is None


def test_a_possessive_is_no_modifier_of_a_role():
    roles = unknown_roles("Who is Fennick Search's director of recruitment?", [])
    assert "s director" not in roles and not any(r.startswith("s ") for r in roles), roles


def test_a_long_question_shaped_like_who_is_is_read_in_linear_time():
    import time

    t = time.perf_counter()
    assert answer_type("who is the " + "a" * 985 + ",") == "explanation"
    assert time.perf_counter() - t < 2.0  # a backtracking pattern took 7 s here


def test_a_job_title_or_an_interview_stage_is_no_source():
    assert source_phrases("What does a Technical Writer earn in London?") == []
    assert source_phrases("What should I expect in the technical interview?") == []
