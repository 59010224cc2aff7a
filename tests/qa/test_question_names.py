"""How a question names things the guides name differently: initials of a name and of a site, a possessive typed
without its apostrophe, a camel-case name written as words, a source described at length, a count of things
glossed by an acronym, a post held by a person, a verb or a place before a job noun (set P's first run)."""
from __future__ import annotations

from careerkg.qa.evidence import counts
from careerkg.qa.guides import DocView, proper_nouns
from careerkg.qa.persons import names_person
from careerkg.qa.policy import Scope
from careerkg.qa.request import Constraint, Request, answer_types, levels_named
from careerkg.qa.rolewords import unknown_roles
from careerkg.text import acronyms



def _doc(doc_id, text, title="", publisher="", url=""):
    return DocView(doc_id, title or doc_id, text, publisher, url)


def test_a_name_of_two_words_joined_by_of_or_for_is_shortened_with_that_word():
    assert acronyms("Ministry of Justice") == ("MOJ",)
    assert acronyms("The Office for Students") == ("OFS",)
    assert acronyms("Office for National Statistics") == ("ONS",)  # three words: as before
    assert acronyms("Data Scientist") == () and acronyms("head of data") == ()  # no name of that shape


def test_an_employer_named_in_full_is_met_by_its_initials_in_the_evidence():
    docs = {"moj": _doc("moj", "The Ministry of Justice (MoJ)\nMoJ employs over 90,000 people.")}
    req = Request("q", "how many people does the Ministry of Justice employ", "count",
                  [Constraint("employer", "Ministry of Justice")])
    sc = Scope(req, docs, {})
    start = docs["moj"].text.index("MoJ employs")
    assert sc.satisfies("moj", start, len(docs["moj"].text)) == []


def test_a_source_named_in_full_matches_the_guide_whose_site_is_its_initials():
    docs = {"rss": _doc("rss-lecturer-pay", "Lecturers start at £25000.", "Salaries and advancement", "",
                        "http://www.rss.org.uk/site/cms/article.asp?article=834"),
            "other": _doc("other", "The Royal Society of Arts says little about pay.", "Other guide")}
    req = Request("q", "q", "amount", [Constraint("source", "Royal Statistical Society's careers")])
    assert Scope(req, docs, {}).allowed == {"rss"}
    # the initials must be of the site or the id: a word of an address's path names no source
    docs["rss"] = _doc("lecturer-pay", "Lecturers start at £25000.", "Salaries", "", "http://example.org/rss/834")
    assert Scope(req, docs, {}).unmet


def test_a_source_described_at_length_is_held_to_its_named_parts():
    docs = {"a": _doc("a", "The Zorblax Data Campus was set up after the Bean review of economic statistics."),
            "b": _doc("b", "A review of statistics in general.")}
    req = Request("q", "according to the review behind the Zorblax Data Campus, how much",
                  "amount", [Constraint("source", "review behind the Zorblax Data Campus")])
    sc = Scope(req, docs, {})
    assert sc.allowed == {"a"} and not sc.unmet
    # a named part no guide holds leaves the source unmet
    req = Request("q", "q", "amount", [Constraint("source", "review behind the Quoddle Campus")])
    assert Scope(req, docs, {}).unmet


def test_a_camel_case_employer_is_met_by_its_words():
    docs = {"n": _doc("n", "Just last year, ChatGPT developer Open AI made London its first office outside the US.")}
    req = Request("q", "what did OpenAI do in London", "explanation", [Constraint("employer", "OpenAI")])
    sc = Scope(req, docs, {})
    assert not sc.unmet and sc.satisfies("n", 0, len(docs["n"].text)) == []


def test_a_possessive_the_guides_write_is_known_typed_without_its_apostrophe():
    docs = {"d": _doc("d", "says Dyson’s chief engineer, Jake Dyson. Dyson is hiring.")}
    proper = proper_nouns(docs)
    assert proper.get("dysons") == "Dyson"
    assert "chiefs" not in proper  # only names written with a capital and a possessive


def test_whose_post_is_asked_and_how_many_of_a_post_are_counted():
    assert answer_types("whos dysons chief engineer leading the robotics push")[0] == "person"
    assert answer_types("who is Dyson's chief engineer")[0] == "person"
    assert answer_types("how many founders did the global talent visa bring in 2020")[0] == "count"
    assert answer_types("who is Dysons typical engineer")[0] != "person"


def test_a_count_glossed_by_an_acronym_or_quoted_counts_the_noun():
    assert counts("gpus", "bringing 20,000 of the most advanced graphic processors (GPUs) to the UK")
    assert counts("centres", "one of the group’s 23 “global technology centres” for 25 years")
    assert counts("spinouts", "producing more than 359 companies from 2011")
    assert not counts("gpus", "a £2.5 billion investment in the UK's AI economy")


def test_a_first_appointment_is_the_starting_level():
    assert "Junior" in levels_named("New lecturers in a first appointment are likely to start at a salary of £25000")
    assert "Junior" in levels_named("the new entrant rate")
    assert "Junior" not in levels_named("Promotion beyond the level of lecturer will lead to higher salaries")


def test_a_person_named_in_the_sentence_after_the_organisation_it_points_back_to(shared_linker):
    def ner(text):
        return shared_linker.nlp(text)

    req = Request("q", "Who is the chief executive of Universities UK?", "person",
                  [Constraint("employer", "Universities UK")])
    text = "Its chief executive, Vivienne Stern, said the restrictions had a significant effect."
    before = "Universities UK, which represents more than 140 institutions, welcomed the report."
    assert names_person(req, text, ner, before)
    assert not names_person(req, text, ner)  # without the sentence it points back to: not whose post
    assert not names_person(req, "Vivienne Stern, chief executive, said so.", ner, before)  # no pointer back


def test_a_verb_a_place_or_a_word_of_time_before_a_job_noun_is_no_role_modifier():
    q = "What share of BAME tech workers hold director-level roles?"
    verbs = {q.index("hold")}
    assert not any("hold" in r for r in unknown_roles(q, [], verbs=lambda: verbs))
    assert not any("Birmingham" in r or "current" in r
                   for r in unknown_roles("What period do the current Birmingham programmer figures cover?", []))
    assert "quantum software developer" in unknown_roles("what does a quantum software developer earn", [])


def test_a_field_typed_before_a_known_job_narrows_it(shared_linker):
    from careerkg.qa.understand import QuestionUnderstanding

    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)  # request() needs the linker and its tagger only
    qu.linker = shared_linker
    qu._ner = None

    def cons(q):
        mentions = shared_linker.link(q, discover=False)
        return {(c.kind, c.value) for c in qu.request(q, q, mentions, None, []).constraints}

    assert ("skill", "quantum") in cons("What is the average salary of a quantum software engineer in the UK?")
    assert ("skill", "healthcare") in cons("what does a healthcare data scientist earn")
    # a level, a way of working, a place or a word describing the person narrows nothing
    for q in ("how much does a remote software engineer make", "what does a senior data scientist earn",
              "what does a talented data scientist earn", "what does a london data scientist earn"):
        assert not {k for k, _ in cons(q)} & {"skill"}, q
    # a field linked as a role is no job: "the le wagon data science bootcamp"
    assert not {k for k, _ in cons("how much does the le wagon data science bootcamp cost")} & {"skill"}


def test_the_words_of_a_title_say_nothing_of_what_is_asked():
    # "Jobs on the Rise" is a list's name, not a question about a rise
    assert answer_types("Which job topped LinkedIn's Jobs on the Rise list in the UK in 2025?")[0] != "change"
    assert answer_types("By how much did pay rise in Manchester?")[0] == "change"
    # "Innovator Founder" is a visa, not a founder asked for
    assert answer_types("After how many years can an Innovator Founder apply for settlement?")[0] == "duration"
    # a question typed all in Title Case keeps its words
    assert answer_types("How Much Does A Data Scientist Earn?")[0] == "amount"


def test_people_of_a_job_counted_as_people_only_where_the_job_is_named():
    from careerkg.qa.evidence import counted_job

    assert counted_job("bioinformaticians") == "bioinformatician" and counted_job("engineers") == "engineer"
    assert counted_job("people") is None and counted_job("staff") is None and counted_job("companies") is None
    docs = {"s": _doc("s", "Scottish tech start-ups and scale-ups collectively employ 135,000 people."),
            "b": _doc("b", "Bioinformaticians analyse biological data. The institute employs 40 people in Dundee.")}
    req = Request("q", "how many bioinformaticians are employed in scotland", "count", [])
    sc = Scope(req, docs, {})
    assert sc.satisfies("s", 0, len(docs["s"].text))  # a count of everyone in tech
    start = docs["b"].text.index("The institute")
    assert sc.satisfies("b", start, len(docs["b"].text)) == []  # people, in a guide about bioinformaticians


def test_who_chaired_and_whose_post_after_a_possessive_ask_for_a_person():
    assert answer_types("Who chaired the UK Quantum Skills Taskforce?")[0] == "person"
    assert answer_types("who is the moj's chief ai officer")[0] == "person"
    assert answer_types("who is the best data engineer")[0] != "person"


def test_a_figure_said_of_the_world_or_europe_is_no_uk_figure():
    docs = {"q": _doc("q", "Quantum computing alone will create 250,000 new jobs globally by 2030. "
                           "The UK will need 10,000 quantum workers by 2030.")}
    req = Request("q", "how many quantum computing jobs will the uk create by 2030", "count", [])
    sc = Scope(req, docs, {})
    first = docs["q"].text.index(" The UK")
    assert Constraint("place", "UK") in sc.satisfies("q", 0, first)
    assert Constraint("place", "UK") not in sc.satisfies("q", first + 1, len(docs["q"].text))
    # a question that does not name the UK is not held to it
    sc = Scope(Request("q", "how many quantum computing jobs will be created by 2030", "count", []), docs, {})
    assert Constraint("place", "UK") not in sc.satisfies("q", 0, first)


def test_a_figure_of_a_bare_job_noun_answers_only_a_question_naming_it(runtime_factory, tmp_path):
    """A guide naming no role gives "new lecturers ... £25,000": that claim answers "what do lecturers earn",
    not a question naming no role ("what is the median salary in the UK?")."""
    rt = runtime_factory()
    guide = tmp_path / "lecturer-pay.txt"
    guide.write_text("Salaries and opportunities for advancement\n\nNew lecturers in a first appointment are "
                     "likely to start at a salary of very roughly £25,000.\n\nThe median salary in the UK for all "
                     "jobs stood at £35,000 last year.\n", encoding="utf-8")
    assert rt.pipeline.ingest_path(guide).ok
    named = rt.qa.ask("What salary do new lecturers start on?")
    assert "25,000" in named.answer and not named.abstained, named.answer
    other = rt.qa.ask("What is the median salary in the UK?")
    assert "Lecturer" not in other.answer, other.answer


def test_how_much_a_thing_fell_asks_for_a_change_and_where_a_thing_is_used_for_its_uses():
    from careerkg.qa.request import CHANGE, EXPLANATION, PLACE, answer_type

    assert answer_type("How much have IT contractor daily rates dropped since 2010?") == CHANGE
    assert answer_type("how much has demand for data engineers fallen?") == CHANGE
    assert answer_type("Which region's contractor hourly rates rose 21% over two years?") == PLACE
    assert answer_type("where is computer vision used") == EXPLANATION
    assert answer_type("Where is the hub based?") == PLACE
    assert answer_type("Which part of the UK has the biggest gap in expected tech salaries?") == PLACE


def test_a_post_of_a_named_organisation_is_no_role_of_its_own():
    """"the director of the Campaign for Science and Engineering": a post at an organisation, not a role
    "Director of the Campaign"; "a head of data" is a post no list knows, a role."""
    assert not [r for r in unknown_roles("Who is the director of the Campaign for Science and Engineering (CaSE)?", [])
                if r.lower().startswith("director")]
    assert "Head of data" in unknown_roles("What does a head of data earn in Leeds?", [])


def test_an_employer_named_by_its_initials_is_met_where_the_guide_spells_them_out():
    filler = "The centres were chosen after a competition between many applicants across the country. " * 8
    text = ("The centres will support 1,000 students. UK Research and Innovation is providing £100 million of "
            f"funding.\n\n{filler}\n\nLater, the chief executive of UKRI spoke.")
    docs = {"cdt": _doc("cdt", text)}
    req = Request("q", "How much funding is UKRI providing?", "amount", [Constraint("employer", "UKRI")])
    start, end = text.index("UK Research"), text.index("funding.") + 8
    assert Scope(req, docs, {}).satisfies("cdt", start, end) == []
    other = text.replace("UK Research and Innovation", "The research council")
    docs = {"cdt": _doc("cdt", other)}
    start, end = other.index("The research council"), other.index("funding.") + 8
    assert Scope(req, docs, {}).satisfies("cdt", start, end) != []


def test_a_sentence_that_enumerates_is_told_apart():
    """What a list question's ranking bonus (``AnswerPolicy.list_bonus``) rewards: three or more short items in a
    run, not an apposition. (Its effect on answers is measured by bench/answers.py: it is too small to show on a
    one-guide corpus, where the enumerating sentence wins without it.)"""
    from careerkg.qa.compose import enumerates

    assert enumerates("They often work with tools like OpenCV, PyTorch, TensorFlow, and cloud platforms.")
    assert enumerates("we code in Scala, Java and Python")
    assert not enumerates("My team, the Data Engineering squad, are tasked with writing tools")
    assert not enumerates("A computer vision engineer develops algorithms and models for images.")


def test_counted_words_written_by_their_initials_are_counted():
    """"how many data analyst higher apprenticeships": "15 Data Analyst HAs"; "has" is no "HAs"."""
    assert counts("apprenticeships", "- 15 Data Analyst HAs at Microsoft in Reading", "data analyst higher")
    assert not counts("apprenticeships", "Microsoft has 15 offices and it has grown", "data analyst higher")
    assert not counts("apprenticeships", "- 15 Data Analyst DAs at Microsoft in Reading", "data analyst higher")


def test_a_role_typed_with_its_fields_initials_is_the_role_the_guides_spell_out():
    """"cv engineer": the guides' "computer vision engineer"; "data engineer" is read as words, not initials."""
    docs = {"cv": _doc("cv", "Computer vision engineers build systems that extract meaning from images."),
            "other": _doc("other", "Civil engineers design bridges.")}
    req = Request("q", "what does a cv engineer do", "explanation", [Constraint("role", "cv engineer")])
    sc = Scope(req, docs, {})
    assert not sc.unmet and sc.allowed == {"cv"}
    assert sc.satisfies("cv", 0, len(docs["cv"].text)) == []
    req = Request("q", "what does a data engineer do", "explanation", [Constraint("role", "data engineer")])
    assert Scope(req, {"d": _doc("d", "Digital asset technology architects engineer things.")}, {}).unmet


def test_a_sentence_giving_a_cause_is_told_apart():
    from careerkg.qa.compose import gives_cause

    assert gives_cause("The refusals were a result of the Tier 2 cap of 20,700.")
    assert gives_cause("Fewer women apply because of how roles are advertised.")
    assert gives_cause("The fall was driven by cuts in hiring.")
    assert not gives_cause("The share of women in data science jobs fell to 20% in 2023.")


def test_a_closing_or_start_date_named_anywhere_in_the_question_is_the_event_asked():
    from careerkg.qa.policy import asked_event

    assert asked_event("Whats the closing date for applications to the grad scheme?")[0] == "closing"
    assert asked_event("deadline to apply for the phd?") is None  # a date as such: "apply by 30 June"
    assert asked_event("what is the start date of the scheme")[0] == "start"
    assert asked_event("When was the report published?") is None


def test_a_question_for_a_degree_classification_needs_evidence_stating_one():
    text = ("You will need a 2:1 degree in computing or a related subject.\n\n"
            "You'll spend time in the labs, meeting tech grads and coding.")
    docs = {"g": _doc("g", text)}
    req = Request("q", "What degree classification does the scheme ask for?", "explanation", [])
    sc = Scope(req, docs, {})
    assert sc.satisfies("g", 0, text.index("\n")) == []
    assert sc.satisfies("g", text.index("You'll"), len(text)) != []


def test_which_company_asks_for_an_organisation_the_question_does_not_name_itself():
    """"Which company offered the Data Fellowship Apprenticeship": a sentence naming only that apprenticeship (or
    saying "I've") names no company; one naming the employer does."""
    from careerkg.qa.guides import names_organisation

    q = "Which company offered the Data Fellowship Apprenticeship described on the blog?"
    assert not names_organisation("My employer announced they'd be offering a Data Fellowship Apprenticeship.", {}, q)
    assert not names_organisation("This is the longest break I’ve ever taken from blogging.", {"a": ("a",)}, q)
    assert names_organisation("Lloyds Banking Group announced a Data Fellowship Apprenticeship.", {}, q)
    text = "My employer announced they'd be offering a Data Fellowship Apprenticeship to 20 or so people."
    sc = Scope(Request("q", q, "explanation", []), {"b": _doc("b", text)}, {}, org_names={})
    assert sc.satisfies("b", 0, len(text)) != []
