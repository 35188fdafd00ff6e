"""Reported speech: who said what when the article does not quote the words.

Each form the rules cover has a case; so does each thing they leave out on
purpose (beliefs, wishes, infinitives, passives, questions), and the
hostile inputs (unbalanced marks, quotes across paragraphs, a long transcript).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.rules import QuoteCandidate, find_evidence
from summarizer.rules.reported.cues import ACT_CUE, ANY_CUE, CUE, JUDGING_CUE, NAMING_CUE, QUESTION_CUE, Cues
from summarizer.rules.reported.sources import _ACCORDING_END, _ACCORDING_START, _may_say_according_to
from summarizer.rules.reported.tags import _TAG_INSIDE, _may_hold_tag_inside
from summarizer.rules.text import paragraph_bounds, sentence_breaks, strip_span


def reported(text: str) -> list[QuoteCandidate]:
    evidence = find_evidence(text)
    for quote in evidence.quotes:
        assert text[quote.start : quote.end] == quote.text
    return [quote for quote in evidence.quotes if quote.kind != "direct"]


def found(text: str) -> list[tuple[str, str | None, str | None, str]]:
    return [(q.text, q.speaker, q.cue, q.kind) for q in reported(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iran says the US is the main obstacle to releasing the funds.", ("the US is the main obstacle to releasing the funds", "Iran", "says")),
        ("Maria Lopez said on Monday that the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "said")),
        ("Maria Lopez said Monday's vote would cut the budget by half.", ("Monday's vote would cut the budget by half", "Maria Lopez", "said")),
        ("Maria Lopez at the time said the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "said")),
        ("State media reported that the budget would be cut by half.", ("the budget would be cut by half", None, "reported")),
        (
            "Just a week ago, as the Toledo Herald reported, the budget was cut by half.",
            ("Just a week ago, as the Toledo Herald reported, the budget was cut by half", "Toledo Herald", "reported"),
        ),
        ("Maria Lopez for her part said the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "said")),
        ("Maria Lopez told reporters that the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "told")),
        ("Maria Lopez told CNN in an interview that the budget would be cut.", ("the budget would be cut", "Maria Lopez", "told")),
        ("Maria Lopez told the Toledo Herald she would run again.", ("she would run again", "Maria Lopez", "told")),
        ("Maria Lopez told host Tom Brown she would run again.", ("she would run again", "Maria Lopez", "told")),
        ("Maria Lopez told The Herald of Toledo last week she would run again.", ("she would run again", "Maria Lopez", "told")),
        (
            "Maria Lopez told a crowded banquet hall at a hotel in downtown Toledo that she would run again.",
            ("she would run again", "Maria Lopez", "told"),
        ),
        (
            "Maria Lopez said Tom Brown didn’t appear keen on working with the council to ensure that the budget passes.",
            ("Tom Brown didn’t appear keen on working with the council to ensure that the budget passes", "Maria Lopez", "said"),
        ),
        ("As first reported by the Toledo Herald, the budget would be cut.", ("the budget would be cut", "Toledo Herald", "reported")),
        ("As the Toledo Herald reported on Tuesday, the budget would be cut.", ("the budget would be cut", "Toledo Herald", "reported")),
        ("As Maria Lopez noted in her book, the budget would be cut.", ("the budget would be cut", "Maria Lopez", "noted")),
        ("The budget would be cut, Maria Lopez told the Toledo Herald.", ("The budget would be cut", "Maria Lopez", "told")),
        ("The budget would be cut by half, Maria Lopez said.", ("The budget would be cut by half", "Maria Lopez", "said")),
        ("The budget would be cut by half, said Maria Lopez.", ("The budget would be cut by half", "Maria Lopez", "said")),
        ("According to Maria Lopez, the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "according to")),
        ("The budget would be cut by half, according to Maria Lopez.", ("The budget would be cut by half", "Maria Lopez", "according to")),
        ("Maria Lopez, the finance minister, warned that the budget would be cut.", ("the budget would be cut", "Maria Lopez", "warned")),
        ("Maria Lopez has repeatedly argued that the budget is too small.", ("the budget is too small", "Maria Lopez", "argued")),
        ("As Maria Lopez noted, the budget is too small for the city.", ("the budget is too small for the city", "Maria Lopez", "noted")),
        ("The budget would be cut by half, Maria Lopez said Tuesday.", ("The budget would be cut by half", "Maria Lopez", "said")),
        ("The budget would be cut by half, Maria Lopez told Reuters.", ("The budget would be cut by half", "Maria Lopez", "told")),
        ("Maria Lopez however said the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "said")),
        ("Maria Lopez said there was evidence that the budget was cut.", ("there was evidence that the budget was cut", "Maria Lopez", "said")),
        ("Maria Lopez says that it’s time to cut the budget by half.", ("it’s time to cut the budget by half", "Maria Lopez", "says")),
        ("Maria Lopez said if the council agrees the budget would be cut.", ("if the council agrees the budget would be cut", "Maria Lopez", "said")),
        ("Maria Lopez said the budget was a fraud, describing the plan as a gift.", ("the budget was a fraud", "Maria Lopez", "said")),
        ("Maria Lopez on Wednesday announced that the budget would be cut.", ("the budget would be cut", "Maria Lopez", "announced")),
        ("Maria Lopez earlier Thursday said the budget would be cut.", ("the budget would be cut", "Maria Lopez", "said")),
        ("Others say the budget would be cut by half.", ("the budget would be cut by half", None, "say")),
        ("Maria Lopez asked whether the budget would be cut by half.", ("whether the budget would be cut by half", "Maria Lopez", "asked")),
        ("Maria Lopez asked the Mayor why the budget was cut.", ("why the budget was cut", "Maria Lopez", "asked")),
        ("Maria Lopez told the crowd, the budget would be cut by half.", ("the budget would be cut by half", "Maria Lopez", "told")),
        ("Maria Lopez vowed to cut the budget by half, calling it bloated.", ("to cut the budget by half", "Maria Lopez", "vowed")),
        ("Maria Lopez urged the council to cut the budget by half.", ("the council to cut the budget by half", "Maria Lopez", "urged")),
        ("Maria Lopez asked the council not to cut the library budget.", ("the council not to cut the library budget", "Maria Lopez", "asked")),
        ("Maria Lopez called on the council to cut the budget by half.", ("the council to cut the budget by half", "Maria Lopez", "called on")),
        ("Maria Lopez accused the mayor of hiding the budget cuts.", ("the mayor of hiding the budget cuts", "Maria Lopez", "accused")),
        ("Maria Lopez pointed out that the budget had been cut twice.", ("the budget had been cut twice", "Maria Lopez", "pointed out")),
        ("Maria Lopez — a teacher from Toledo — says the budget would be cut.", ("the budget would be cut", "Maria Lopez", "says")),
        ("Among them was Maria Lopez, 45, who said the budget would be cut.", ("the budget would be cut", "Maria Lopez", "said")),
        ("The budget would be cut by half, said Maria Lopez, the mayor of Toledo, Ohio.", ("The budget would be cut by half", "Maria Lopez", "said")),
        ("The budget would be cut by half, Maria Lopez, the mayor, said on Monday.", ("The budget would be cut by half", "Maria Lopez", "said")),
        (
            "The budget would be cut by half, according to Maria Lopez, though the council disagrees.",
            ("The budget would be cut by half", "Maria Lopez", "according to"),
        ),
    ],
)
def test_reported_speech_forms(text: str, expected: tuple[str, str, str]) -> None:
    assert [(q.text, q.speaker, q.cue) for q in reported(text)] == [expected]


def test_a_pronoun_source_is_the_person_named_before() -> None:
    text = "Maria Lopez spoke after the vote. She said the budget would be cut by half."
    assert found(text) == [("the budget would be cut by half", "Maria Lopez", "said", "indirect")]


@pytest.mark.parametrize(
    "text",
    [
        # the subject after an opening phrase is a sentence's subject too, and beats an earlier one
        "Maria Lopez met voters on Sunday. In an interview on Monday, Ann Lee laughed off the ad. “It shows how desperate they are,” she said.",
        # a place opening a sentence is no person, whatever its two words
        "Ann Lee spoke on Monday. North Carolina votes next week. “It shows how desperate they are,” she said.",
    ],
)
def test_she_is_the_subject_of_a_recent_sentence_who_may_be_a_person(text: str) -> None:
    (quote,) = find_evidence(text).quotes
    assert (quote.text, quote.speaker) == ("It shows how desperate they are,", "Ann Lee")


def test_a_cue_without_a_subject_takes_the_sentences() -> None:
    text = "Maria Lopez attacked the plan on Tuesday, telling CNN that the budget was a fraud."
    assert found(text) == [("the budget was a fraud", "Maria Lopez", "telling", "indirect")]


def test_a_coordinated_cue_reports_its_unnamed_subjects_words() -> None:
    text = "A spokesman for the mayor defended the march route and said the police had trained for months."
    assert found(text) == [("the police had trained for months", None, "said", "indirect")]


def test_a_coordinated_cue_in_its_base_form_goes_on_from_an_infinitive_not_a_subject() -> None:
    text = "Voters are going to stay home and say the election was stolen."
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Sen. Ann Lee met the mayor. The senator said the bill would pass.", "Ann Lee"),
        ("Gov. Ann Lee met Tom Brown. The former governor said the bill would pass.", "Ann Lee"),
        ("The Emir of Qatar Tamim Al Thani met Ann Lee. The Emir referred to the talks, and said the bill would pass.", "Tamim Al Thani"),
        ("President Ann Lee met Sen. Tom Brown. The vice president said the bill would pass.", None),  # another office
        ("Sen. Ann Lee met Tom Brown. The Florida senator said the bill would pass.", None),  # which senator, the title does not say
        ("Ann Lee met Tom Brown. The senator said the bill would pass.", None),  # no one named with the office
    ],
)
def test_a_source_named_by_office_is_the_person_named_with_that_title(text: str, speaker: str | None) -> None:
    assert found(text) == [("the bill would pass", speaker, "said", "indirect")]


def test_a_title_case_headline_reports_its_subjects_words() -> None:
    text = "Ann Lee Says She Will Not Run Again\n\nThe mayor of Toledo spoke on Monday."
    assert found(text) == [("She Will Not Run Again", "Ann Lee", "says", "indirect")]


def test_a_title_case_headline_after_a_persons_name_and_a_colon_is_their_words() -> None:
    text = "Ann Lee: The Bridge Plan Is ‘A Disaster For Our Toledo’\n\nThe mayor of Toledo, Ann Lee, spoke on Monday."
    assert found(text) == [("The Bridge Plan Is ‘A Disaster For Our Toledo’", "Ann Lee", ":", "indirect")]
    (inner,) = [q for q in find_evidence(text).quotes if q.kind == "direct"]
    assert (inner.text, inner.speaker) == ("A Disaster For Our Toledo", "Ann Lee"), "the quoted words inside are the speaker's too"


@pytest.mark.parametrize(
    "text",
    [
        "UPDATE: The Bridge Plan Is A Disaster For Toledo\n\nIt rained.",  # a label, no name
        "New York: The Bridge Plan Is A Disaster For The City\n\nIt rained in New York.",  # a place
        "Ann Lee: the bridge plan is a disaster for the city and its people, she said at the meeting\n\nIt rained.",  # prose
    ],
)
def test_colon_lines_that_are_no_headline_of_someones_words(text: str) -> None:
    assert [q for q in reported(text) if q.cue == ":"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Police Says the roads will stay closed until the storm has passed over the city\n\nIt rained.",  # no Title Case: prose
        "Ann Lee Says No To A Third Term\n\nShe spoke.",  # an idiom, no words reported
        "Election Night Says A Lot About Us\n\nIt was long.",  # no one named before the cue
        "Ann Lee Says " + "Very " * 50 + "Much\n\nShe spoke.",  # longer than a headline
    ],
)
def test_lines_that_are_no_reporting_headline_give_no_headline_quote(text: str) -> None:
    assert [q for q in reported(text) if q.cue == "says"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The fund is short of money, said former Ohio Gov. Ann Lee.", [("The fund is short of money", "Ann Lee", "said", "indirect")]),
        ("The fund may be short of money, said several observers.", [("The fund may be short of money", None, "said", "indirect")]),
        # a clause after the cue, no source of the words before it: the cue's subject is the sentence's
        ("Ann Lee spoke about the fund on Monday, said the plan would fail.", [("the plan would fail", "Ann Lee", "said", "indirect")]),
    ],
)
def test_a_closing_tag_with_its_cue_first_names_the_person_its_title_leads_to(text: str, expected: list[tuple[str, str | None, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ann Lee herself said the deal was on.", ("the deal was on", "Ann Lee", "said", "indirect")),  # an intensifier before the cue
        ("Several supporters of reform said it was too late.", ("it was too late", None, "said", "indirect")),  # a quantifier opens the subject
    ],
)
def test_a_subject_may_hold_an_intensifier_or_open_with_a_quantifier(text: str, expected: tuple[str, str | None, str, str]) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Ann Lee said more than 1,000 donors gave money.", "more than 1,000 donors gave money"),  # a quantity opens the clause
        ("Ann Lee said much of the money went to ads.", "much of the money went to ads"),
        ("Ann Lee said more than she wanted to on Monday.", None),  # said more: no clause reported
        ("Ann Lee said much about the money on Monday.", None),
    ],
)
def test_a_clause_may_open_with_a_quantity(text: str, content: str | None) -> None:
    assert [q.text for q in reported(text)] == ([content] if content else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ann Lee vetoed the bill on Monday, arguing such laws could expose the city to lawsuits.",
            [("such laws could expose the city to lawsuits", "Ann Lee", "arguing", "indirect")],
        ),
        ("Ann Lee won the vote by arguing the bill was too costly.", []),  # a gerund: "by arguing"
        ("Ann Lee won in Ohio on Tuesday, claiming her third victory of the night.", []),  # claiming a thing, not words
    ],
)
def test_a_participle_after_a_comma_reports_a_clause_without_that(text: str, expected: list[tuple[str, str | None, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fact-checkers soon noted that the figure was wrong.", ("the figure was wrong", None, "noted", "indirect")),
        ("Voters see it as a problem, and three-fourths say the city should require cameras.", ("the city should require cameras", None, "say", "indirect")),
        (
            "The ruling followed a request by the Toledo Herald, which argued that the files were public.",
            ("the files were public", "Toledo Herald", "argued", "indirect"),
        ),
        ("Ann Lee - the mayor's aide and a lawyer - told reporters that the files were public.", ("the files were public", "Ann Lee", "told", "indirect")),
    ],
)
def test_subjects_behind_an_adverb_a_relative_pronoun_or_a_dashed_aside(text: str, expected: tuple[str, str | None, str, str]) -> None:
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A spokeswoman for the firm declined to comment, saying that nobody involved remains.", [("nobody involved remains", None, "saying", "indirect")]),
        ("Rain fell all day on Monday, saying that the season had turned.", []),  # no noun phrase opens the sentence: no speaker
    ],
)
def test_a_participle_after_a_comma_reports_for_an_unnamed_subject(text: str, expected: list[tuple[str, str | None, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the cue tags the quoted words and reports a clause of its own
        (
            'Asked about "privatization," Ann Lee said private contractors can be costly.',
            [("private contractors can be costly", "Ann Lee", "said", "indirect")],
        ),
        ('"We will win in the fall," Ann Lee told reporters in Iowa on Monday.', []),  # only the tag of the quote
    ],
)
def test_a_cue_after_a_quote_reports_a_clause_that_follows_it(text: str, expected: list[tuple[str, str | None, str, str]]) -> None:
    assert found(text) == expected


def test_according_to_a_titled_person_gives_the_person_not_the_outlet_in_the_title() -> None:
    text = "According to USA Today contributor and monetary historian David Marsh, rates have moved apart seven times."
    assert found(text) == [("rates have moved apart seven times", "David Marsh", "according to", "indirect")]


def test_the_report_speaks_for_the_outlet_named_before() -> None:
    text = "IRNA published its account of the visit on Thursday. The report noted that the two sides had signed three agreements."
    assert found(text) == [("the two sides had signed three agreements", "IRNA", "noted", "indirect")]


def test_reported_speech_with_quoted_words_is_partial() -> None:
    text = "Maria Lopez said the budget was “a disgrace to the city” and would be cut."
    assert found(text) == [("the budget was “a disgrace to the city” and would be cut", "Maria Lopez", "said", "partial")]


def test_speech_reported_inside_a_quote_comes_via_its_speaker() -> None:
    text = 'IRNA said that the "Supreme Leader Ali Khamenei has said expanding ties with neighbors remains the policy of the country."'
    (inner,) = reported(text)
    assert (inner.text, inner.speaker, inner.via) == ("expanding ties with neighbors remains the policy of the country", "Ali Khamenei", "IRNA")


def test_a_plural_speech_noun_owned_by_a_pronoun_reports_its_owners_words() -> None:
    text = "Maria Lopez spoke in Toledo. The council doubted her claims that the budget would be cut by half."
    assert found(text) == [("the budget would be cut by half", "Maria Lopez", "claims", "indirect")]


@pytest.mark.parametrize(
    "text",
    [
        "Maria Lopez said on Friday that her claims were a joke.",  # "her claims": a noun, not "claims" the verb
        "Voters loved Maria Lopez and her statements that fired them up.",  # "that" opens a relative clause
        "The council rejected the claims that the mayor made in May.",  # the claims have no owner
    ],
)
def test_a_speech_noun_that_is_no_cue(text: str) -> None:
    assert all(q.cue not in ("claims", "statements") for q in reported(text))


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("According to the Toledo Herald, citing the Ohio Transit Agency, the bridge would reopen in May.", "Ohio Transit Agency"),
        ("According to the Toledo Herald, quoting Ohio's transit agency, the bridge would reopen in May.", None),
    ],
)
def test_according_to_a_source_quoting_another_gives_the_other_via_the_first(text: str, speaker: str | None) -> None:
    (quote,) = reported(text)
    assert (quote.text, quote.speaker, quote.via) == ("the bridge would reopen in May", speaker, "Toledo Herald")


def test_the_content_stops_at_a_coordinated_cue() -> None:
    text = "Maria Lopez says people may not like the answer, but insists the budget is fair."
    assert [q.text for q in reported(text)] == ["people may not like the answer", "the budget is fair"]


@pytest.mark.parametrize(
    "text",
    [
        "Maria Lopez believes the budget would be cut by half.",  # a belief, not speech
        "Maria Lopez wants the budget to be cut by half.",  # a wish
        "Maria Lopez expects the budget to be cut by half.",  # a plan
        "Maria Lopez is said to be furious about the budget cuts.",  # an infinitive
        "The cuts were announced by the mayor on Monday morning.",  # a passive
        "Maria Lopez was asked to cut the budget by half.",  # a passive request: the asker is not named
        "Maria Lopez challenged the mayor to a debate on the budget.",  # "to" a noun, not an act's content
        "The new budget promises to cut waiting times by half.",  # a thing's promise, not speech
        "Maria Lopez pointed out the flaws in the budget plan.",  # an object pointed out, no reported clause
        "Maria Lopez asked for a budget cut by half.",  # a request
        "It is said that the budget would be cut by half.",  # no source
        "Lopez won the primary in Vermont, claiming her third victory of the season.",  # "claiming" a prize, not a claim
        '"The budget is fair," Maria Lopez told reporters in the hall.',  # the tag of a direct quote
        '"The budget is fair," Maria Lopez said, according to the newspaper.',  # a direct quote's tag, then its outlet
        '"Is the budget fair?" Lopez, a retired nurse, said softly into the phone.',  # how and where it was said, no clause
    ],
)
def test_what_is_left_out(text: str) -> None:
    assert reported(text) == []


@pytest.mark.parametrize(
    "text",
    [
        'Maria said “the plan is bad and "the city" knows it.',  # unbalanced, mixed marks
        "Maria said “the plan\n\nwill fail” and Tom said the plan would work.",  # a quote across paragraphs
        "Maria said «the plan ‘will’ fail» and Tom said „it would work“ anyway.",  # nested styles
        "“ ” said said said that that, according to , ,",
        "said" * 3000,
    ],
)
def test_hostile_text_gives_spans_inside_the_article(text: str) -> None:
    for quote in find_evidence(text).quotes:
        assert 0 <= quote.start <= quote.end <= len(text) and text[quote.start : quote.end] == quote.text


def test_a_long_interview_transcript_is_read_in_one_pass() -> None:
    turn = "WALLACE: Senator, you said the budget would be cut. Is that right?\n\nSMITH: I said the budget would be cut by half, and it will be.\n\n"
    text = turn * 800  # about 20,000 words
    quotes = reported(text)
    assert len(quotes) >= 800 and all(q.text for q in quotes)


def test_a_body_speaks_for_the_last_name_of_its_kind() -> None:
    text = "Acme Corporation closed its plant in Ohio. The company said the plant had lost money for years."
    assert found(text) == [("the plant had lost money for years", "Acme Corporation", "said", "indirect")]
    unnamed = "A company said the plant had lost money for years."
    assert [q.speaker for q in reported(unnamed)] == [None]


def test_a_colon_hands_a_quote_to_the_sentences_subject() -> None:
    text = 'Maria Lopez defended the budget, promising a review: "Every library stays open this year."'
    (quote,) = [q for q in find_evidence(text).quotes if q.kind == "direct"]
    assert quote.speaker == "Maria Lopez"


def test_reported_content_may_open_with_its_quoted_words() -> None:
    text = "Maria Lopez said “zero” families would move into the new houses this year."
    assert ("“zero” families would move into the new houses this year", "Maria Lopez", "said", "partial") in found(text)


def test_reported_content_that_is_only_a_quote_stays_the_direct_quote() -> None:
    text = "Maria Lopez said “we will build the new houses this year.”"
    assert found(text) == []


def test_after_that_it_is_the_subject_of_the_reported_clause() -> None:
    text = "Maria Lopez told the cheering crowd that it meant a lot to her that “her neighbours” had voted for her."
    assert ("it meant a lot to her that “her neighbours” had voted for her", "Maria Lopez", "told", "partial") in found(text)


def test_two_apostrophes_mark_quoted_words_and_may_open_a_sentence() -> None:
    text = "The mayor spoke on Friday. Maria Lopez said ''there could be'' a new bridge by the summer. ''We will see,'' she added."
    assert ("''there could be'' a new bridge by the summer", "Maria Lopez", "said", "partial") in found(text)


def test_a_possessive_noun_phrase_is_a_source() -> None:
    text = "Maria Lopez’s campaign manager says she is “grateful” for the support of the union leaders."
    assert ("she is “grateful” for the support of the union leaders", None, "says", "partial") in found(text)


def test_a_quote_followed_only_by_when_it_was_said_is_not_reported_content() -> None:
    text = "Maria Lopez said “we will build the houses” in an interview with the Herald."
    assert found(text) == []


def test_content_ending_in_quoted_words_before_the_tag_is_partial() -> None:
    text = "The budget was cut in half and “the schools will suffer for years,” Maria Lopez said."
    assert found(text) == [("The budget was cut in half and “the schools will suffer for years,”", "Maria Lopez", "said", "partial")]


def test_a_sentence_that_is_only_a_quote_and_its_tag_is_no_reported_speech() -> None:
    text = "“The schools will suffer for years,” Maria Lopez said."
    assert found(text) == []


def test_a_tag_inside_the_content_splits_it_in_two_pieces() -> None:
    text = "Maria Lopez spoke after the vote. The budget, she said on Monday, would be cut by half."
    (quote,) = reported(text)
    assert (quote.text, quote.speaker, quote.cue) == ("The budget, she said on Monday, would be cut by half", "Maria Lopez", "said")
    assert [piece.text for piece in quote.fragments] == ["The budget", "would be cut by half"]
    assert all(text[piece.start : piece.end] == piece.text for piece in quote.fragments)


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Maria Lopez added that, in Toledo, the coalition is made of angry voters.", "the coalition is made of angry voters"),
        ("Maria Lopez said that, frankly, the budget would be cut.", "the budget would be cut"),
        ("Maria Lopez said that, during the strike, the budget would be cut.", "the budget would be cut"),
        ("Maria Lopez said that, and the council met without her.", None),
    ],
)
def test_an_aside_right_after_that_is_not_the_content(text: str, content: str | None) -> None:
    assert [quote.text for quote in reported(text)] == ([content] if content else [])


@pytest.mark.parametrize(
    "text",
    [
        "Maria Lopez is saying that the budget would be cut.",
        "Maria Lopez has been saying that the budget would be cut.",
        "Maria Lopez spoke. She’s predicting that the budget would be cut.",
    ],
)
def test_a_progressive_cue_is_active(text: str) -> None:
    assert [(q.text, q.speaker) for q in reported(text)] == [("the budget would be cut", "Maria Lopez")]


def test_a_progressive_cue_takes_a_clause_without_that() -> None:
    assert found("Maria Lopez spoke. She’s predicting she will cut the budget.") == [("she will cut the budget", "Maria Lopez", "predicting", "indirect")]


def test_a_progressive_cue_before_an_object_reports_nothing() -> None:
    assert reported("Maria Lopez is predicting a close race in Toledo this year.") == []


def test_quoted_words_after_a_dash_follow_a_judging_cue() -> None:
    text = "Maria Lopez spoke. She has touted her own record—“the longest run of balanced budgets in our history”—and pledged more of it."
    (quote,) = [q for q in find_evidence(text).quotes if q.kind == "direct"]
    assert (quote.speaker, quote.cue) == ("Maria Lopez", "touted"), "not the cue of the clause after the dash"


def test_a_time_phrase_opening_the_sentence_is_no_subject() -> None:
    text = "Maria Lopez spoke. The day before, at a rally in Akron, Ohio, Lopez was just as blunt, claiming that the mayor wanted to raise taxes."
    assert found(text) == [("the mayor wanted to raise taxes", "Maria Lopez", "claiming", "indirect")]


def test_a_coordinated_cue_in_a_when_clause_after_and_takes_its_subject() -> None:
    text = "Maria Lopez spoke. Some in the crowd booed, and when Lopez thanked Toledo and said the city had been good to her, they cheered."
    assert [(q.speaker, q.cue) for q in reported(text)] == [("Maria Lopez", "said")]


def test_a_participle_after_an_object_takes_the_sentences_subject() -> None:
    text = "Maria Lopez opened the debate saying Tom Brown has the skills to be mayor."
    assert found(text) == [("Tom Brown has the skills to be mayor", "Maria Lopez", "saying", "indirect")]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Over the past two weeks, Rahm Okafor fired his police chief, Tom Brown, acknowledging that trust was lost.", id="after_an_opening_phrase"
        ),
        pytest.param(
            "Prosecutors charged the officer, and Rahm Okafor fired his chief, Tom Brown, acknowledging that trust was lost.", id="opening_the_last_clause"
        ),
    ],
)
def test_a_participle_after_an_objects_apposition_takes_its_clauses_subject(text: str) -> None:
    assert [(quote.text, quote.speaker) for quote in reported(text)] == [("trust was lost", "Rahm Okafor")]


def test_a_document_owned_by_a_pronoun_speaks_for_its_owner_not_the_outlet() -> None:
    text = "Ann Lee spoke to the Toledo Herald. Later in the summer, she revised her statement explaining that she had sent no emails."
    assert [(quote.text, quote.speaker) for quote in reported(text)] == [("she had sent no emails", "Ann Lee")]
    advisers = "Ann Lee spoke to the Toledo Herald. Her advisers say she will run."
    assert [(quote.text, quote.speaker) for quote in reported(advisers)] == [("she will run", None)]  # people she has, not a document


def test_a_participle_takes_a_pronoun_opening_the_sentence_after_its_opening_phrase() -> None:
    text = "Ann Lee met Tom Brown. Later in the summer, she called him, explaining that she had sent no emails."
    assert [(quote.text, quote.speaker) for quote in reported(text)] == [("she had sent no emails", "Ann Lee")]


def test_a_document_an_outlet_wrote_is_the_one_it_names_not_any_document() -> None:
    assert found("The Toledo Herald ran a story. The report said the plan was dead.") == [("the plan was dead", "Toledo Herald", "said", "indirect")]
    assert found("The Toledo Herald ran a story. A report said the plan was dead.") == [("the plan was dead", None, "said", "indirect")]


def test_a_participle_after_a_document_a_subject_issued_is_the_subjects() -> None:
    text = "The Toledo Herald was there. Acme Corp issued a statement saying the plan was dead."
    assert found(text) == [("the plan was dead", "Acme Corp", "saying", "indirect")]


def test_a_passive_cue_has_no_source() -> None:
    assert [quote.speaker for quote in reported("Maria Lopez was told that the budget would be cut.")] in ([], [None])


@pytest.mark.parametrize(
    "text",
    [
        "The plan, these people said, would cost more than the city expected.",
        "The plan, people familiar with the matter said, would cost more than the city expected.",
        "The plan would cost more than the city expected, a person close to the mayor said.",
    ],
)
def test_unnamed_people_are_a_source(text: str) -> None:
    (quote,) = reported(text)
    assert quote.speaker is None and quote.cue == "said"
    assert " ".join(piece.text for piece in quote.fragments or [quote]) == "The plan would cost more than the city expected"


def test_a_promise_between_commas_tags_the_content_around_it() -> None:
    text = "Maria Lopez spoke after the vote. A Lopez term, she vowed, would mean new jobs for Toledo."
    (quote,) = reported(text)
    assert (quote.speaker, quote.cue) == ("Maria Lopez", "vowed")
    assert [piece.text for piece in quote.fragments] == ["A Lopez term", "would mean new jobs for Toledo"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Lopez called the new plan a “total disaster” for the city.", "the new plan a “total disaster” for the city"),
        ("Maria Lopez called the new law “much better” than the old one, since it pays for schools.", "the new law “much better” than the old one"),
        ("Maria Lopez described the budget as “a fraud” on Monday.", "the budget as “a fraud”"),
    ],
)
def test_naming_with_quoted_words_is_a_partial_quote(text: str, expected: str) -> None:
    assert (expected, "Maria Lopez", text.split()[2], "partial") in found(text)


@pytest.mark.parametrize(
    "text",
    [
        '"The budget," Maria Lopez said, "would be cut by half."',  # a direct quote split by its tag
        "On Monday, Maria Lopez said she would go, but the council met without her.",  # a lead-in, not a tag between commas
        "The budget, Maria Lopez believes, would be cut by half.",  # a belief
    ],
)
def test_what_is_not_a_tag_inside_the_content(text: str) -> None:
    assert not [q for q in reported(text) if q.fragments]


@pytest.mark.parametrize(
    "text",
    [
        "Maria Lopez watched a film called “Small Towns” with the mayor.",  # a title
        "The mayor was called a “liar” by the council.",  # passive: no source
        "Maria Lopez described the plan “in detail” to the council.",  # describing names with "as"
    ],
)
def test_what_is_not_a_naming(text: str) -> None:
    assert [q for q in reported(text) if q.cue and q.cue.startswith(("call", "describ"))] == []


def test_a_company_speaks_of_itself_as_it() -> None:
    assert found("Twitter said it actively investigated the threats.") == [("it actively investigated the threats", "Twitter", "said", "indirect")]
    assert found("Maria Lopez said it again on Monday.") == []  # "it" the object of "said"


def test_a_surname_alone_speaks_for_the_full_name_before() -> None:
    text = "Mark Cuban owns a basketball team. At a rally, Cuban said he would consider the offer."
    assert found(text) == [("he would consider the offer", "Mark Cuban", "said", "indirect")]


@pytest.mark.parametrize(
    "text",
    [
        "Joseph R. Biden spoke first. Vice President Joseph R. Biden Jr. said the plan would fail.",
        "Joseph R. Biden spoke first. Joseph R. Biden (D-Del.) said the plan would fail.",
        "Joseph R. Biden spoke first. Sen. Joseph R. Biden, D-Del., said the plan would fail.",
    ],
)
def test_a_name_with_a_suffix_is_the_source(text: str) -> None:
    assert [(q.text, q.speaker) for q in reported(text)] == [("the plan would fail", "Joseph R Biden" + (" Jr" if "Jr." in text else ""))]


def test_a_clause_after_a_closing_cue_is_not_its_source() -> None:
    text = "Sen. Marco Rubio, R-Fla., said Obama failed to address the concerns."
    assert [(q.text, q.speaker) for q in reported(text)] == [("Obama failed to address the concerns", "Marco Rubio")]


def test_a_participle_after_a_tagged_quote_reports_more_of_its_speakers_words() -> None:
    text = 'Maria Lopez spoke first. "We will win," Lopez said, adding that the budget would be cut.'
    assert found(text) == [("the budget would be cut", "Maria Lopez", "adding", "indirect")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Lopez defended her deputy as a “very decent man” on Monday.", "her deputy as a “very decent man”"),
        ("Maria Lopez blamed the cuts on a “reckless council,” not on the mayor.", "the cuts on a “reckless council,”"),
        ("Maria Lopez called for more “flexibility” in the budget.", "more “flexibility” in the budget"),
        ("Maria Lopez called the plan a “disaster” that would hurt schools.", "the plan a “disaster” that would hurt schools"),
        ("Maria Lopez called the plan “meritless” and “improper” in a letter.", "the plan “meritless” and “improper” in a letter"),
    ],
)
def test_judging_with_quoted_words_is_a_partial_quote(text: str, expected: str) -> None:
    assert [(q.text, q.speaker, q.kind) for q in reported(text)] == [(expected, "Maria Lopez", "partial")]


@pytest.mark.parametrize(
    "text",
    [
        "The mayor was praised as a “very decent man” by the council.",  # passive: no source
        "Critics praised the “very decent” budget.",  # no named source
        "Maria Lopez praised the budget, which the council had passed in May after a long debate about “fairness”.",  # the quote too far
    ],
)
def test_what_is_not_judging_with_quoted_words(text: str) -> None:
    assert [q for q in reported(text) if q.kind == "partial"] == []


def test_a_cue_opening_two_forms_is_read_as_both() -> None:
    # "warned of" judges, "warned" reports; a question cue alone still lets "X's claim that" be read.
    assert found("Maria Lopez warned of a “ferocious” battle over the budget.") == [
        ("a “ferocious” battle over the budget", "Maria Lopez", "warned of", "partial")
    ]
    assert found("Maria Lopez warned that the budget would be cut.") == [("the budget would be cut", "Maria Lopez", "warned", "indirect")]
    assert [q.text for q in reported("Readers asked about Maria Lopez's claim that the budget was cut in half.")] == ["the budget was cut in half"]


def test_a_judging_verb_whose_quoted_words_fall_outside_its_clause_reports_nothing() -> None:
    text = "Maria Lopez praised the council for its patience; the mayor said “enough” at once."
    assert [q for q in reported(text) if q.cue == "praised"] == []
    assert [(q.text, q.cue) for q in reported("Maria Lopez called on the council to resign; the mayor said “enough” at once.")] == [
        ("the council to resign", "called on")  # a request, its content ending at its clause
    ]


def test_the_object_of_a_participle_is_not_a_tag_source() -> None:
    text = "Hillary Clinton spoke first. Tom Hall won the vote in Virginia, adding to Clinton Tuesday, a loss in Ohio and Maine."
    assert reported(text) == []


@pytest.mark.parametrize("text", ["a, said a,", "Ann Lee, she said,", ", said Ann Lee, ", "x, he said, "])
def test_a_tag_inside_at_the_very_end_of_the_text_is_no_crash(text: str) -> None:
    assert all(q.fragments == () for q in reported(text))


def test_a_noun_phrase_closing_tag_speaks_and_a_short_outlet_name_is_the_full_one() -> None:
    text = "The Washington Post broke the story. The family soured on the manager, the Post reported. The mayor was headed to Ohio, her aide said."
    assert [(q.text, q.speaker) for q in reported(text)] == [
        ("The family soured on the manager", "Washington Post"),
        ("The mayor was headed to Ohio", None),
    ]


def test_a_coordinated_clause_with_a_speaker_of_its_own_is_neither_a_closing_tag_nor_content() -> None:
    assert found("The budget would be cut, and Tom Brown agreed.") == []
    assert found("Maria Lopez said the budget would be cut, and Tom Brown agreed.") == [("the budget would be cut", "Maria Lopez", "said", "indirect")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Asked whether the budget would be cut, Tom Brown shook his head.",
            ("whether the budget would be cut", None, "asked", "indirect"),
            id="a_question_opening_the_sentence_has_an_unnamed_asker",
        ),
        pytest.param(
            "Asked by Maria Lopez whether the budget would be cut, Tom Brown shook his head.",
            ("whether the budget would be cut", "Maria Lopez", "asked", "indirect"),
            id="the_asker_after_by",
        ),
        pytest.param(
            "Maria Lopez asked Tom Brown if the budget would be cut, and he looked away.",
            ("if the budget would be cut", "Maria Lopez", "asked", "indirect"),
            id="the_question_ends_at_its_clause",
        ),
    ],
)
def test_a_reported_question_is_its_question_words_on(text: str, expected: tuple[str, str | None, str, str]) -> None:
    assert found(text) == [expected]


def test_told_with_a_capitalised_object_that_no_clause_follows_reports_nothing() -> None:
    assert found("Maria Lopez told the Biblical story of Jonah to the class.") == []


def test_according_to_after_a_short_lead_in_cuts_the_content_in_two() -> None:
    text = "Since May, according to the ministry, the police have arrested 400 people. In the city of Toledo, the mayor resigned, according to the paper, after a vote."
    assert [(q.text, [f.text for f in q.fragments]) for q in reported(text)] == [
        ("Since May, according to the ministry, the police have arrested 400 people", ["Since May", "the police have arrested 400 people"]),
        ("In the city of Toledo, the mayor resigned", []),
    ]


def test_according_to_between_a_subject_and_its_verb_cuts_one_clause_in_two() -> None:
    text = (
        "At the heart of the trouble, according to Ann Lee, a former envoy, was a decision by the mayor. "
        "Toledo voters, 82 percent of whom backed the plan according to the poll, have a strong voice."  # the tag is inside an aside
    )
    assert [(q.text, [f.text for f in q.fragments]) for q in reported(text)] == [
        (
            "At the heart of the trouble, according to Ann Lee, a former envoy, was a decision by the mayor",
            ["At the heart of the trouble", "was a decision by the mayor"],
        ),
        ("Toledo voters, 82 percent of whom backed the plan", []),
    ]


_CUE_TEXT = st.sampled_from(
    [" ", " ", ", ", ". ", "\n\n", '"', "“", "”", "'s", "—", "-", "Smith", "Ann Lee", "he", "the report", "that", "has", "repeatedly", "on Monday"]
    + ["said", "says", "told", "adding", "according to", "According to", "called on", "call for", "warned of", "referred to", "urged"]
    + ["asked", "whether", "promised to", "accused", "vowed", "described", "called", "praised", "to", "of", "for", "on", "unsaid", "said-so"]
    + [", Smith said, ", ", he has said, ", ", said Ann Lee, ", "According to Smith, ", ", according to the report", ". According to "]
)


def _sentences(text: str) -> list[tuple[int, int]]:
    """The sentences ``find_reported`` reads, as it cuts them."""
    found = []
    for start, end in paragraph_bounds(text):
        cuts = [start, *sentence_breaks(text, start, end), end]
        found += [span for span in (strip_span(text, a, b) for a, b in zip(cuts, cuts[1:])) if span[0] < span[1]]
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(_CUE_TEXT, max_size=40).map("".join))
def test_cues_found_once_per_text_are_those_a_scan_of_each_sentence_finds_and_quick_tests_pass_what_patterns_match(text: str) -> None:
    cues = Cues(text)
    for start, end in _sentences(text):
        for pattern in (CUE, ANY_CUE, NAMING_CUE, JUDGING_CUE, QUESTION_CUE, ACT_CUE):
            assert [m.span() for m in cues.matching(pattern, start, end)] == [m.span() for m in pattern.finditer(text, start, end)]
        if _TAG_INSIDE.search(text, start, end):  # the quick tests before a pattern never say no when it would match
            assert _may_hold_tag_inside(text, start, end, cues)
        if _ACCORDING_START.match(text, start, end) or _ACCORDING_END.search(text, start, end):
            assert _may_say_according_to(text, start, end)


def test_an_adverb_does_not_hide_a_passive() -> None:
    assert found("The team was initially denied visas for the trip to the contest.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Maria Lopez took a swipe at the mayor’s stance on Brexit, saying that the budget would suffer.",
            ("the budget would suffer", "Maria Lopez", "saying", "indirect"),
            id="a_participle_after_a_comma_takes_the_sentence_subject_not_the_name_before_the_comma",
        ),
        pytest.param(
            "U.S. District Judge Maria Lopez imposed a long sentence, saying a tough penalty was needed to deter hacking.",
            ("a tough penalty was needed to deter hacking", "Maria Lopez", "saying", "indirect"),
            id="a_title_opening_the_sentence_leads_to_the_person_it_names",
        ),
        pytest.param(
            "According to Afghan Ambassador to the United States Maria Lopez, the girls were denied visas twice.",
            ("the girls were denied visas twice", "Maria Lopez", "according to", "indirect"),
            id="a_title_after_according_to_leads_to_the_person_it_names",
        ),
        pytest.param(
            "According to early results of exit polls conducted for the Toledo Herald and two television networks in the last days of the race, "
            "half of the voters in the city were undecided.",
            ("half of the voters in the city were undecided", "Toledo Herald", "according to", "indirect"),
            id="a_long_source_after_according_to_still_opens_the_sentence",
        ),
        pytest.param(
            "At a rally in Portsmouth, N.H., on Tuesday, Sen. Maria Lopez endorsed Tom Brown, saying that the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "saying", "indirect"),
            id="an_opening_phrase_takes_in_the_state_after_its_place",
        ),
        pytest.param(
            "In her speech, Maria Lopez, who has welcomed refugees from Syria, warned that the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "warned", "indirect"),
            id="an_opening_phrase_takes_in_no_name_after_it",
        ),
        pytest.param(
            "Democratic front-runner Maria Lopez, also campaigning in Ohio, said the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "said", "indirect"),
            id="a_campaign_title_before_the_opening_person",
        ),
        pytest.param(
            "Tom Brown talked about trade, but Maria Lopez brought him back to the budget, saying that the schools would suffer.",
            ("the schools would suffer", "Maria Lopez", "saying", "indirect"),
            id="a_participle_takes_the_subject_of_the_last_coordinated_clause",
        ),
        pytest.param(
            "Like Tom Brown, Maria Lopez rejected the plan, arguing that the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "arguing", "indirect"),
            id="like_x_is_an_opening_phrase",
        ),
        pytest.param(
            "Here in Toledo, Maria Lopez stepped up her attacks on Tom Brown, saying that the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "saying", "indirect"),
            id="here_in_a_place_is_an_opening_phrase",
        ),
        pytest.param(
            "Gov. Maria Lopez of Ohio, a Republican who has refused to endorse Tom Brown, said the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "said", "indirect"),
            id="a_person_of_a_place_opening_the_sentence_speaks_past_the_names_in_her_aside",
        ),
        pytest.param(
            "Sen. Maria Lopez (D-Ohio), who has endorsed Tom Brown, said the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "said", "indirect"),
            id="a_party_label_after_the_opening_person_is_no_aside_of_its_own",
        ),
        pytest.param(
            "Sen. Maria Lopez, facing a spirited challenge in Ohio, a swing state, said she would welcome the plan.",
            ("she would welcome the plan", "Maria Lopez", "said", "indirect"),
            id="a_titled_person_opening_the_sentence_speaks_past_the_places_in_her_aside",
        ),
        pytest.param(
            "Maria Lopez dismissed Tom Brown's charges about the plan by pointing out that the budget would be cut by half.",
            ("the budget would be cut by half", "Maria Lopez", "pointing out", "indirect"),
            id="a_participle_after_by_takes_the_sentences_subject",
        ),
        pytest.param(
            "The council read Maria Lopez's statement that the budget would be cut by half.",
            ("the budget would be cut by half", "Maria Lopez", "statement", "indirect"),
            id="a_speech_noun_is_a_cue_of_its_own_without_a_speech_verb_in_the_sentence",
        ),
        pytest.param(
            "Maria Lopez spoke in Toledo. The council rejected her stern warning on Tuesday that the budget would be cut by half.",
            ("the budget would be cut by half", "Maria Lopez", "warning", "indirect"),
            id="a_possessive_pronoun_owning_a_speech_noun_is_resolved_like_its_subject",
        ),
        pytest.param(
            "The budget would be cut by half, the Toledo Herald reported on Tuesday -- a blow to the mayor, who had promised to keep every school open.",
            ("The budget would be cut by half", "Toledo Herald", "reported", "indirect"),
            id="a_closing_tag_before_an_aside_after_a_dash_still_ends_the_content",
        ),
        pytest.param(
            "And it has not gone unnoticed: according to Maria Lopez, half of the voters in the city were undecided.",
            ("half of the voters in the city were undecided", "Maria Lopez", "according to", "indirect"),
            id="according_to_after_a_colon_opens_a_clause",
        ),
        pytest.param(
            "Maria Lopez, who lost her job at the mill in Aurora, Colorado, last year, said that the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "said", "indirect"),
            id="a_person_opening_the_sentence_speaks_past_the_places_in_asides_after_the_name",
        ),
        pytest.param(
            "In an essay, Maria Lopez, a professor at Ohio State University, said the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "said", "indirect"),
            id="a_person_after_an_opening_phrase_speaks_past_the_names_in_her_apposition",
        ),
        pytest.param(
            "Maria Lopez, 58, who lives outside Toledo, says she never met Tom Brown.",
            ("she never met Tom Brown", "Maria Lopez", "says", "indirect"),
            id="a_pronoun_clause_after_a_closing_cue_is_not_its_source",
        ),
        pytest.param(
            "According to the team's coach, Maria Lopez, in their first match, the robot scored two points.",
            ("in their first match, the robot scored two points", "Maria Lopez", "according to", "indirect"),
            id="a_name_after_according_to_a_role_is_the_source_not_the_content",
        ),
        pytest.param(
            "Washington (AFP) – Maria Lopez took a swipe at the mayor’s stance on Brexit, saying that the budget would suffer.",
            ("the budget would suffer", "Maria Lopez", "saying", "indirect"),
            id="a_dateline_is_not_the_sentence_subject",
        ),
        pytest.param(
            '"We have a plan," Maria Lopez said in Toledo, noting that the budget would be cut.',
            ("the budget would be cut", "Maria Lopez", "noting", "indirect"),
            id="a_participle_after_a_tagged_quote_takes_the_quotes_speaker",
        ),
        pytest.param(
            "Ohio Gov. Maria Lopez, hoping to win in New Hampshire, said the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "said", "indirect"),
            id="a_titled_person_opening_the_sentence_speaks_past_its_asides",
        ),
        pytest.param(
            "Maria Lopez spoke in Toledo on Monday, remarking that the budget would be cut.",
            ("the budget would be cut", "Maria Lopez", "remarking", "indirect"),
            id="any_verb_of_speech_as_a_participle_reports_for_the_subject",
        ),
        pytest.param(
            "Neither Maria Lopez nor Tom Brown came to Toledo, conceding that the race was lost.",
            ("the race was lost", "Maria Lopez", "conceding", "indirect"),
            id="neither_opens_no_name",
        ),
    ],
)
def test_who_speaks(text: str, expected: tuple[str, str, str, str]) -> None:
    """The speaker is the person the sentence names for the cue, not a place, a title's country or a name in an aside."""
    assert found(text) == [expected]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Toledo and Akron will share the bridge, Maria Lopez said, adding that the budget would be cut by half.", "Maria Lopez"),
        ("Toledo and Akron will share the bridge, an official said, adding that the budget would be cut by half.", None),
    ],
)
def test_a_participle_after_a_closing_tag_goes_on_with_the_tags_source(text: str, speaker: str | None) -> None:
    """ "..., X said, adding that ...": two findings, both X's; not one in two pieces around the tag, nor Toledo's."""
    assert [(q.text, q.speaker) for q in reported(text)] == [
        ("Toledo and Akron will share the bridge", speaker),
        ("the budget would be cut by half", speaker),
    ]


def test_a_closing_tag_citing_its_own_source_closes_the_content() -> None:
    """ "..., the Herald reported, citing a source.": the content before the tag, the Herald's; the citation is not content."""
    text = "The Toledo Herald ran the story. Members of the council long ago soured on the mayor, the Herald reported, citing an aide."
    assert [(q.text, q.speaker, q.cue) for q in reported(text)] == [("Members of the council long ago soured on the mayor", "Toledo Herald", "reported")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Organizers of both conventions insist they will meet their financial targets.",
            [("they will meet their financial targets", "insist")],
            id="a-plural-subject",
        ),
        pytest.param("He was trying to explain the process of a contested convention to the delegates.", [], id="an-infinitive"),
        pytest.param("Can he maintain the enthusiasm of the followers who were new to politics?", [], id="after-a-modal"),
        pytest.param("I would just suggest they read the statistics about the economy in 2009.", [], id="after-a-modal-and-adverb"),
    ],
)
def test_a_plural_present_cue_reports_a_clause_only_after_a_subject(text: str, expected: list[tuple[str, str]]) -> None:
    """ "insist", "argue", "explain" take a clause without "that" when a subject speaks, not as infinitives."""
    assert [(q.text, q.cue) for q in reported(text)] == expected


def test_a_coordinated_clause_with_a_speaker_of_its_own_ends_the_content() -> None:
    """ "X said A, while 60 percent said B": A alone is the first content; "..., but went on to say" has no subject of its own."""
    text = "In the poll, 38 percent of voters said Mr. Clinton should step down, while 60 percent said he should stay on."
    assert [q.text for q in reported(text)] == ["Mr. Clinton should step down", "he should stay on"]
    same = "Tom Hall said the plan would fail, but went on to say the council should try it."
    assert [q.text for q in reported(same)][0].startswith("the plan would fail, but went on")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Ohio voted. They say the Democrats already tried to do that with the first batch of emails.",
            [("the Democrats already tried to do that with the first batch of emails", "say")],
            id="that-after-do",
        ),
        pytest.param(
            "Ohio voted. Tom Smith said that would be a mistake for the town.", [("that would be a mistake for the town", "said")], id="that-before-a-verb"
        ),
        pytest.param("Ohio voted. I have told that to everybody who would listen to me.", [], id="that-before-to"),
        pytest.param("Ohio voted in a host of states that will vote on March 1 next year.", [], id="a-relative-that"),
        pytest.param(
            "Ohio voted. Aides told the Post that in private, Tom Smith has shown an interest in it.",
            [("in private, Tom Smith has shown an interest in it", "told")],
            id="a-fronted-phrase-after-that",
        ),
        pytest.param(
            "Ohio voted. Mr. Obama revised his plans, saying that about 5,500 troops would remain there.",
            [("about 5,500 troops would remain there", "saying")],
            id="a-number-after-that",
        ),
    ],
)
def test_that_opens_the_content_only_as_a_conjunction(text: str, expected: list[tuple[str, str]]) -> None:
    """ "that" after a cue opens the content unless it is a pronoun ("do that with", "that would be") or a relative ("states
    that will vote"); after it, any first word starts the clause ("that in private, ...")."""
    assert [(q.text, q.cue) for q in reported(text)] == expected


@pytest.mark.parametrize(
    ("text", "speaker", "via"),
    [
        pytest.param(
            "The Toledo Herald covered the crash. The Toledo Herald quoted Ann Lee, a local nurse, as saying that the driver ran away.",
            "Ann Lee",
            "Toledo Herald",
            id="the-quoted-person",
        ),
        pytest.param("Ann Lee ran. The Toledo Herald quoted one of Lee's aides as saying that the campaign is in trouble.", None, None, id="not-the-owner"),
    ],
)
def test_quoted_as_saying_gives_the_quoted_speaker(text: str, speaker: str | None, via: str | None) -> None:
    (quote,) = [q for q in reported(text) if q.cue == "saying"]
    assert (quote.speaker, quote.via) == (speaker, via)
