"""The one text model (careerkg/text.py): sentences, evidence units, label/value cards, headings."""

from __future__ import annotations

from careerkg.text import card_spans, evidence_units, is_heading_line, is_stats_row, sentence_spans, stats_header


def test_sentences_keep_table_rows_whole_and_offsets_exact():
    text = "Pay rose. Senior roles pay more.\n| Level | Pay |\n| Senior | £90k. Bonus 10%. |\n"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["Pay rose.", "Senior roles pay more.", "| Level | Pay |",
                                             "| Senior | £90k. Bonus 10%. |"]


def test_a_label_value_card_is_one_unit_beside_its_lines():
    text = "Skills\nRust\nEssential\n64%\nGo\nDesirable\n31%\n\n£610–780\n\nSenior contractor/day\n"
    cards = [text[a:b] for a, b in card_spans(text)]
    assert "Rust\nEssential\n64%\nGo" in cards  # two captions above, one below
    assert "£610–780\n\nSenior contractor/day" in cards  # a figure line above is no caption
    units = evidence_units(text)
    assert units == sorted(units)  # in order of their start, as the unit matrix needs
    assert any(text[a:b] == "64%" for a, b in units)  # the lines stay units too


def test_prose_and_tables_make_no_cards():
    text = "Data engineers earn £60,000 on average.\n| Junior | £40,000 |\nIn 2025 demand rose.\n"
    assert card_spans(text) == []


def test_headings_are_short_unpunctuated_lines_that_state_no_figure():
    assert is_heading_line("Scotland")
    assert is_heading_line("Data Engineer Salary UK 2026: The Full Guide")
    assert not is_heading_line("Senior Analyst: £65,000–£85,000")
    assert not is_heading_line("Salary: 28,500")
    assert not is_heading_line("Data engineers earn more.")
    assert not is_heading_line("| Level | Pay |")
    assert not is_heading_line("using programming languages like Python for data mining")
    # a sentence cut before its full stop is no heading; a standfirst naming a level is one
    assert not is_heading_line("As at May 2019, there are 270 Government Statistical Group sta")
    assert is_heading_line("Hear from Sam Reed, a Level 6 Data Science apprentice working in Ofwat…")


def test_chunker_layout_and_composer_cut_text_the_same_way():
    from careerkg.ingest.chunk import split_units
    from careerkg.ingest.layout import Layout
    from careerkg.text import line_kind

    text = ("What Skills Do Analysts Need?\nMost ads ask for SQL, e.g. joins. Dr. Obi said: “Pay rose.” It fell.\n"
            "- Python: essential\n| Level | Pay |\nSoft Skills Include:\nSenior Analyst: £65,000\n")
    lay = Layout(text)
    assert [ln.kind for ln in lay.lines] == ["heading", "prose", "item", "table", "prose", "prose"]
    assert [line_kind(ln) for ln in text.splitlines()] == ["heading", "prose", "item", "table", "prose", "prose"]
    layout_sents = [(a, b) for ln in lay.lines if ln.kind == "prose" for a, b in lay.sentences(ln)]
    chunk_sents = [(u.start, u.end) for u in split_units(text) if u.kind == "sentence"]
    assert layout_sents == chunk_sents
    assert set(layout_sents) <= set(sentence_spans(text))  # the composer's candidate sentences
    said = [text[a:b] for a, b in layout_sents]
    assert "Dr. Obi said: “Pay rose.”" in said and "Most ads ask for SQL, e.g. joins." in said  # quote kept


def test_a_short_value_under_its_caption_is_a_card():
    text = "Fees\nUK: £13,000\nEntry requirements\n2:2\nFull-time\n1 year\n\nThe course is taught in English.\n"
    cards = [text[a:b] for a, b in card_spans(text)]
    assert "Entry requirements\n2:2" in cards  # a degree class is found with what it is the value of
    assert "Full-time\n1 year" in cards
    assert not any(c.startswith("UK: £13,000\nEntry") for c in cards)  # a caption stating a figure is no caption


def test_a_degree_class_or_a_time_of_day_is_one_token():
    from qa.text import tokens

    assert "2:2" in tokens("Can I apply with a 2:2?")
    assert "08:30" in tokens("Stand-up is at 08:30")
    assert tokens("a 2:1") != tokens("a 2:2")


def test_lines_run_together_by_html_flattening_are_cut_apart():
    text = "Duration: 4 yearsSalary: £26,500 + benefits\nEnd Date\nTuesday 11 November 2025We support flexible working\n"
    units = [text[a:b] for a, b in sentence_spans(text)]
    assert "Duration: 4 years" in units and "Salary: £26,500 + benefits" in units
    assert "Tuesday 11 November 2025" in units
    other = "PayPal: 2,000 staff in London."  # a name written in camel case is no glue
    assert [other[a:b] for a, b in sentence_spans(other)] == [other]


def test_captions_below_their_figures_make_cards_with_the_lines_below():
    """A run of cards whose first figure has no caption above (a sentence is none) writes each caption below its
    figure."""
    text = "This is how the team grew in the past year.\n\n100000\n\nLines of code\n\nmigrated by two engineers\n\n30+\n\nAnalysts\n\n" \
           "collaborating daily\n"
    cards = [text[a:b] for a, b in card_spans(text)]
    assert cards == ["100000\n\nLines of code\n\nmigrated by two engineers", "30+\n\nAnalysts\n\ncollaborating daily"]


def test_a_space_aligned_table_row_and_its_header():
    text = "6 months to\n1 Nov 2025\nSame period 2024 Same period 2023\nRank 98 96 99\n10th Percentile - - £37,250\n" \
           "Median % change year-on-year -27.27% +29.41% -5.56%\n"
    row = text.index("Median %")
    assert is_stats_row("Rank 98 96 99") and not is_stats_row("Rank change")
    assert stats_header(text[:row]) == "6 months to 1 Nov 2025 Same period 2024 Same period 2023"
