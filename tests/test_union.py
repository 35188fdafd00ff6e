"""A model's answer adds to the rule evidence and corrects it; it never swallows what the rules found without evidence.

Each test plants one case seen in real articles (GUM's Hong Kong election
page, a Facebook founder named by description, IRNA reporting Khamenei).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.grounding import actors as actors_module
from summarizer.grounding import ground
from summarizer.grounding.linking import kinds_agree
from summarizer.rules import find_evidence
from summarizer.schema import ActorAnswer, DigestAnswer, QuoteAnswer


def digest_of(text: str, **answer: object):  # type: ignore[no-untyped-def]
    return ground(DigestAnswer(summary="", **answer), text=text, evidence=find_evidence(text))  # type: ignore[arg-type]


def names(digest: object) -> dict[str, str]:
    return {a.name: a.extracted_by for a in digest.actors}  # type: ignore[attr-defined]


ELECTION = (
    "Frederick Fung of ADPL lost his seat. Raymond Chan of People Power kept his. "
    "Leung Kwok-hung of LSD and Nathan Law of Demosisto won, said the New Territories West returning officer."
)


def test_names_written_only_inside_longer_names_are_kept() -> None:
    actors = [ActorAnswer(name=n, kind="organization") for n in ("ADPL", "People Power", "LSD", "Demosisto")]
    actors += [ActorAnswer(name=n, kind="person") for n in ("Frederick Fung of ADPL", "Raymond Chan of People Power")]
    digest = digest_of(ELECTION, actors=actors)
    assert {"ADPL", "People Power", "LSD", "Demosisto"} <= set(names(digest))
    assert not any("not mentioned" in w for w in digest.warnings)
    adpl = next(a for a in digest.actors if a.name == "ADPL")
    assert [m.text for m in adpl.mentions] == ["ADPL"]


def test_tolerant_forms_find_a_name_with_a_parenthetical_a_possessive_or_a_legal_suffix() -> None:
    text = "Acme Rockets said on Monday that leaders of Demosisto met officials of New Territories West."
    actors = [
        ActorAnswer(name="Acme Rockets, Inc.", kind="organization"),
        ActorAnswer(name="Demosisto's", kind="organization"),
        ActorAnswer(name="New Territories West (constituency)", kind="other"),
    ]
    digest = digest_of(text, actors=actors)
    assert {a.name: [m.text for m in a.mentions] for a in digest.actors if a.extracted_by == "model"} == {
        "Acme Rockets, Inc.": ["Acme Rockets"],
        "Demosisto's": ["Demosisto"],
        "New Territories West (constituency)": ["New Territories West"],
    }


def test_an_alias_never_renames_an_actor() -> None:
    text = "Facebook co-founder Mark Zuckerberg posted on Tuesday. Zuckerberg said the clock was cool."
    digest = digest_of(text, actors=[ActorAnswer(name="Mark Zuckerberg", kind="person", aliases=["Facebook co-founder Mark Zuckerberg"])])
    zuckerberg = next(a for a in digest.actors if "Zuckerberg" in a.name)
    assert zuckerberg.name == "Mark Zuckerberg" and "Facebook co-founder Mark Zuckerberg" in zuckerberg.aliases
    assert "Facebook" in names(digest)  # the rules' organisation inside the description stays


def test_places_and_organisations_never_merge_by_containment() -> None:
    text = "Voters in Hong Kong Island queued early. Across Hong Kong, turnout was high."
    digest = digest_of(text, actors=[ActorAnswer(name="Hong Kong Island", kind="other")])
    assert {"Hong Kong Island", "Hong Kong"} <= set(names(digest))
    assert [m.text for a in digest.actors if a.name == "Hong Kong" for m in a.mentions] == ["Hong Kong"]


def test_a_short_form_inside_a_longer_rule_name_is_not_a_mention() -> None:
    text = "Irving police arrested the boy. The Irving Independent School District suspended him."
    digest = digest_of(text, actors=[ActorAnswer(name="Irving", kind="other")])
    irving = next(a for a in digest.actors if a.name == "Irving")
    assert [(m.start, m.text) for m in irving.mentions] == [(0, "Irving")]
    assert "Irving Independent School District" in names(digest)


def test_a_rule_name_for_the_same_person_joins_the_model_actor() -> None:
    text = "Ayatollah Seyyed Ali Khamenei met the emir. Khamenei praised Qatar."
    digest = digest_of(text, actors=[ActorAnswer(name="Ali Khamenei", kind="person")])
    khamenei = [a for a in digest.actors if "Khamenei" in a.name]
    assert len(khamenei) == 1 and khamenei[0].name == "Ali Khamenei" and khamenei[0].extracted_by == "model"
    assert len(khamenei[0].mentions) == 2


def test_omitting_an_actor_keeps_the_rules_one_and_rejecting_it_drops_it() -> None:
    text = "Maria Lopez met Tom Devocht in Paris on Monday. Lopez said the Vostok capsule was safe."
    kept = digest_of(text, actors=[ActorAnswer(name="Maria Lopez", kind="person")])
    assert {"Tom Devocht", "Paris", "Vostok"} <= set(names(kept))
    rejected = digest_of(text, actors=[ActorAnswer(name="Maria Lopez", kind="person")], rejected=["Vostok"])
    assert "Vostok" not in names(rejected) and "Tom Devocht" in names(rejected)


def test_rejected_quote_and_figure_numbers_are_left_out() -> None:
    text = 'The minister said "the budget is fair and it is final" on Monday. The film "Gone With the Wind Again Today" cost $6 billion.'
    evidence = find_evidence(text)
    assert [q.ref for q in evidence.quotes] == ["Q1", "Q2"] and [f.ref for f in evidence.figures] == ["F1"]
    digest = ground(DigestAnswer(summary="", rejected=["Q2", "f1"]), text=text, evidence=evidence)
    assert [q.text for q in digest.quotes] == ["the budget is fair and it is final"]
    assert digest.figures == []


SEED_LIKE = (
    "IRNA said that the \u201cLeader of the Islamic Revolution Ayatollah Ali Khamenei has said expanding ties with "
    "neighbors remains the definite policy of the country,\u201d the agency reported."
)


def test_the_models_inner_quote_keeps_its_span_and_the_outer_source_as_via() -> None:
    inner = "expanding ties with neighbors remains the definite policy of the country"
    digest = digest_of(SEED_LIKE, quotes=[QuoteAnswer(text=inner, speaker="Ali Khamenei")])
    model = next(q for q in digest.quotes if q.extracted_by == "model")
    assert (model.text, model.speaker, model.via) == (inner, "Ali Khamenei", "IRNA")
    assert model.context is not None and model.context.text.startswith("Leader of the Islamic Revolution")
    outer = next(q for q in digest.quotes if q.extracted_by == "rules")
    assert outer.speaker == "IRNA" and outer.text.startswith("Leader of the Islamic Revolution")


def test_a_models_quote_inside_a_rule_quote_of_the_same_speaker_replaces_it_with_its_own_span() -> None:
    text = 'Smith said: "We won the match. It was hard. We are happy." The crowd cheered.'
    quotes = [QuoteAnswer(text="We won the match.", speaker="Smith"), QuoteAnswer(text="It was hard.", speaker="Smith")]
    digest = digest_of(text, quotes=quotes)
    assert [(q.text, q.extracted_by) for q in digest.quotes] == [("We won the match.", "model"), ("It was hard.", "model")]
    assert all(q.context is not None and q.context.text == "We won the match. It was hard. We are happy." for q in digest.quotes)


def test_a_rule_name_is_matched_only_against_the_model_actors_it_touches_or_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # A long article read in chunks: thousands of rule names and of model actors; comparing each with each was quadratic.
    people = [
        f"{first} {last}"
        for first in ("Anna", "Boris", "Clara", "David", "Elena", "Felix", "Greta", "Hugo")
        for last in ("Keller", "Moreau", "Novak", "Petrov")
    ]
    text = " ".join(f"{person} spoke to reporters on Monday." for person in people)
    compared: list[str] = []

    def counted(candidate, draft):  # type: ignore[no-untyped-def]
        compared.append(candidate.name)
        return stands_for(candidate, draft)

    stands_for = actors_module._stands_for
    monkeypatch.setattr(actors_module, "_stands_for", counted)
    digest = digest_of(text, actors=[ActorAnswer(name=person, kind="person") for person in people[::2]])
    assert len(compared) <= len(people), "each rule name is compared with the model actors it overlaps or names, not with all of them"
    assert names(digest) == {person: "model" if n % 2 == 0 else "rules" for n, person in enumerate(people)}
    assert all(len(actor.mentions) == 1 for actor in digest.actors)


def components(groups: actors_module._UnionFind, size: int) -> list[list[int]]:
    merged: dict[int, list[int]] = {}
    for i in range(size):
        merged.setdefault(groups.root(i), []).append(i)
    return list(merged.values())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["person", "organization", "country", "group", "other"]), max_size=12))
def test_answers_sharing_a_name_join_as_their_pairs_would(kinds: list[str]) -> None:
    answers = [ActorAnswer(name="Same Name", kind=kind) for kind in kinds]  # type: ignore[arg-type]
    by_pairs = actors_module._UnionFind(len(answers))
    for i, j in itertools.combinations(range(len(answers)), 2):
        if kinds_agree(kinds[i], kinds[j]):
            by_pairs.union(i, j)
    joined = actors_module._UnionFind(len(answers))
    actors_module._union_agreeing(joined, list(range(len(answers))), answers)
    assert components(joined, len(answers)) == components(by_pairs, len(answers))


def test_a_name_answered_in_every_chunk_is_joined_in_time_linear_in_its_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    joins: list[int] = []
    union = actors_module._UnionFind.union

    def counted(self, i, j):  # type: ignore[no-untyped-def]
        joins.append(1)
        union(self, i, j)

    monkeypatch.setattr(actors_module._UnionFind, "union", counted)
    answers = [ActorAnswer(name="Anna Keller", kind="person" if n % 3 else "other") for n in range(300)]
    groups = actors_module._group_aliases(answers)
    assert len(groups) == 1 and len(groups[0]) == 300
    assert len(joins) <= 4 * len(answers), "joined through one answer of each kind, not pair by pair (300 answers make 44,850 pairs)"
