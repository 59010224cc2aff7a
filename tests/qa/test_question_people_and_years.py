"""What set R's first run showed (2026-12-08): a post at a named organisation is no role, a person the question
names is who the evidence speaks of, a year asked for is a year stated, a count may be written in words, a word of
its own is no cut role, and "Inner London" is a place, not an organisation."""
from __future__ import annotations

from careerkg.qa.figures import fits_type
from careerkg.qa.guides import DocView, names_organisation
from careerkg.qa.policy import Scope
from careerkg.qa.request import Constraint, Request


def _doc(doc_id, text):
    return DocView(doc_id, doc_id, text, "", "")


def _constraints(linker, q):
    from careerkg.qa.understand import QuestionUnderstanding

    qu = QuestionUnderstanding.__new__(QuestionUnderstanding)  # request() needs the linker and its tagger only
    qu.linker, qu._ner = linker, None
    return {(c.kind, c.value) for c in qu.request(q, q, linker.link(q, discover=False), None, []).constraints}


def test_a_post_at_a_named_organisation_is_an_employer_not_a_role(shared_linker):
    cons = _constraints(shared_linker, "Who is the global managing director of Zorblax Specialist Recruitment?")
    assert ("employer", "Zorblax Specialist Recruitment") in cons
    assert not {v for k, v in cons if k == "role"}  # no "Director of Zorblax Specialist", no "Zorblax Specialist"
    assert ("role", "Head of ML") in _constraints(shared_linker, "what does a head of ML earn")  # a post of a field


def test_a_person_the_question_names_is_who_the_evidence_speaks_of(shared_linker):
    cons = _constraints(shared_linker, "What is Dr Nadia Quorrel's job title at Oxford?")
    assert ("person", "Dr Nadia Quorrel") in cons  # the whole name, its possessive cut off
    assert ("person", "Skilled Worker") not in _constraints(
        shared_linker, "What is the Skilled Worker visa going rate for a software developer?")  # English words
    text = ("Dr Nadia Quorrel\n\nEach new internship will run for ten weeks. Dr Quorrel said:\n“It is a start.”\n"
            "The summit was held in London. Ann Vex hosted a summit. This week's meeting was at Bletchley Park.")
    docs = {"d": _doc("d", text)}

    def fails(question, person, piece):
        req = Request("q", question, "explanation", [Constraint("person", person)])
        a = text.index(piece)
        return Scope(req, docs, {}).satisfies("d", a, a + len(piece))

    asked = "What is Dr Nadia Quorrel's job title?"
    assert fails(asked, "Dr Nadia Quorrel", "Each new internship will run for ten weeks.")  # under her caption only
    assert not fails(asked, "Dr Nadia Quorrel", "Dr Quorrel said:")  # her surname
    assert not fails(asked, "Dr Nadia Quorrel", "“It is a start.”")  # the quote she leads into
    # a thing of theirs asked about is met by the thing, or by a sentence going on from one naming them
    assert not fails("Where was Ann Vex's summit held?", "Ann Vex", "The summit was held in London.")
    assert not fails("Where was Ann Vex's meeting held?", "Ann Vex", "This week's meeting was at Bletchley Park.")
    assert fails("Where did Ann Vex work?", "Ann Vex", "The summit was held in London.")


def test_a_year_asked_for_is_a_year_the_evidence_states():
    text = "The bank announced Newcastle as its new hub in November. The bank was founded in 1997."
    docs = {"d": _doc("d", text)}
    req = Request("q", "In what year did the bank announce its Newcastle hub?", "date", [])
    sc = Scope(req, docs, {})
    assert ("figure", "year") in {(c.kind, c.value) for c in sc.satisfies("d", 0, text.index(" The bank was"))}
    assert sc.satisfies("d", text.index("The bank was"), len(text)) == []
    when = Scope(Request("q", "When did the bank announce its hub?", "date", []), docs, {})
    assert when.satisfies("d", 0, text.index(" The bank was")) == []  # "when" is answered by a month


def test_a_count_may_be_written_in_words():
    assert fits_type("count", "we deliver for more than five million customers every day")
    assert fits_type("count", "an additional twelve internships")
    for text in ("It takes two years.", "one in five workers", "two thirds of firms", "one of the best",
                 "Hundreds of highly skilled jobs will be created", "The course is free.", "two million pounds",
                 "two per cent of firms", "two and a half years"):
        assert not fits_type("count", text), text


def test_a_word_of_its_own_is_no_cut_role_name(shared_linker):
    from careerkg.qa.understand import _abbreviation_patterns

    pats = _abbreviation_patterns(shared_linker)

    def roles(q):
        return {e.label for rx, e in pats if rx.search(q)}

    assert "AI Researcher" in roles("how much do ML researchers make")
    assert "AI Researcher" not in roles("Which departments host the AI and ML research projects?")
    assert "Machine Learning Engineer" in roles("what does an ML eng earn")


def test_an_english_word_before_a_place_is_part_of_the_place_not_an_organisation():
    assert not names_organisation("Clusters include: Liverpool, Inner London, Belfast, Greater Manchester and "
                                  "South Wales", {})
    assert names_organisation("Firms like Sky Betting and Gaming hire in Leeds", {})
    assert names_organisation("She studied at University College London", {})  # a name ending in a place


def test_where_someone_went_on_to_work_asks_for_whom_not_a_place():
    from careerkg.qa.request import answer_type

    assert answer_type("Where have Code First Girls alumnae gone on to work?") != "place"
    assert answer_type("Where did Jordan Vex, head of the London hub, work before?") != "place"
    assert answer_type("Where is Darktrace based?") == "place"
    assert answer_type("Where do data scientists work in London?") == "place"


def test_a_lead_in_is_quoted_with_every_item_it_introduces():
    from careerkg.qa.compose import continue_enumeration

    text = "Three kinds of jobs:\n\n  • Native – a. More on it.\n  • Support – b.\n  • Transformer – c.\n\nAfter."
    whole = text[:text.index("\n\nAfter")]
    assert text[:continue_enumeration(None, text, 0, text.index(":") + 1)] == whole  # from the lead-in
    assert text[:continue_enumeration(None, text, 0, text.index("a.") + 2)] == whole  # from its first item


def test_a_lead_in_line_hands_its_words_to_the_line_of_names_after_it(shared_linker):
    """A unit that is a lead-in ("Employers involved in creating the standard:") is no answer; the line after it
    is, quoted with it (the lead-in's words are the question's, the names are the answer)."""
    from careerkg.qa.compose import Composer
    from careerkg.qa.retrieve import Passage
    from careerkg.qa.understand import Understanding

    text = "Employers involved in creating the standard:\n\nZorbank, Quindle, Vexor Airways\n"
    p = Passage("c", "d", "t", 0, len(text), text, 1.0, {}, 0.5)
    req = Request("q", "Which employers were involved in creating the standard?", "list", [])
    u = Understanding(question=req.text, intent="employers", intent_scores={}, request=req)
    best = Composer(None).sentences(u, [p], lambda t: 1.0, set())
    assert best and text[best[0][3]:best[0][4]] == text.rstrip("\n")


def test_a_number_in_words_meets_its_digits():
    from careerkg.qa.text import tokens

    assert tokens("after five years in the UK")[:2] == tokens("up to 5 years")


def test_a_window_of_time_is_no_length_unless_the_question_asks_how_recent():
    from careerkg.qa.request import asks_length

    window = "an additional 1,000 visas and a new start-up visa in the past 8 months alone"
    assert fits_type("duration", window)  # "how recent must the degree be": "in the past 5 years" answers it
    assert not fits_type("duration", window, windows=False)
    assert fits_type("duration", "This visa can be granted for up to 5 years", windows=False)
    assert asks_length("How long can the visa be granted for?") and not asks_length("how recent must my degree be")


def test_an_acronym_of_the_guides_typed_in_lower_case_is_no_typo():
    from careerkg.qa.retrieve import _RAW_WORD
    from careerkg.qa.spelling import Speller

    words = {}
    for w in _RAW_WORD.findall("Apply expertise in SIEM solutions. It may seem hard."):
        words[w.lower()] = words.get(w.lower(), 0) + 1
    text, fixes = Speller(words).correct("which query language is used in the siem")
    assert fixes == [] and text.endswith("siem")


def test_a_post_by_its_initials_and_an_organisation_by_its_first_word_name_whom_the_question_asks_for(shared_linker):
    from careerkg.qa.persons import names_person

    ner = shared_linker.nlp
    md = Request("q", "Who is the managing director of Zorblax Europe?", "person",
                 [Constraint("employer", "Zorblax Europe")])
    assert names_person(md, "Geoff Smith, MD of Zorblax Europe, said: “Hiring is up.”", ner)
    founder = Request("q", "who founded Qorvex Markets?", "person", [Constraint("employer", "Qorvex Markets")])
    assert names_person(founder, "Qorvex, led by founder Alexander Gerko, reported £2.7 billion in revenue.", ner)
    # a word opening another name, or a place, is no short name ("UK Finance" for UK Research and Innovation)
    ukri = Request("q", "who is the chief executive of UK Research and Innovation?", "person",
                   [Constraint("employer", "UK Research and Innovation")])
    assert not names_person(ukri, "Jane Smith, chief executive of UK Finance, said: “Lending is up.”", ner)
    # an English word is no short name: "Capital, led by founder ..." is not Capital One's
    one = Request("q", "who founded Capital One?", "person", [Constraint("employer", "Capital One")])
    assert not names_person(one, "Capital, led by founder Alexander Gerko, reported £2.7 billion in revenue.", ner)


def test_an_english_word_opening_a_sentence_or_before_based_is_no_place():
    from careerkg.qa.figures import names_any_place, states_location

    assert not names_any_place("Enterprise-level companies had over 50% of placements on the platform")  # Nevada's
    assert not states_location("Office-based data engineers had the highest average salary of £75k")
    assert names_any_place("London fintech interviews almost always include a live SQL test.")
    assert states_location("DeepMind, a London-based lab") and states_location("a Reading-based firm")
