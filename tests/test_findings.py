"""Findings of polls, studies and records as reported content (summarizer.rules.reported.findings)."""

from __future__ import annotations

import re

import pytest

from summarizer.rules import find_evidence
from summarizer.rules.reported import findings as findings_module


def findings(text: str) -> list[tuple[str, str | None, str | None]]:
    evidence = find_evidence(text)
    for quote in evidence.quotes:
        assert text[quote.start : quote.end] == quote.text
    return [(q.text, q.speaker, q.cue) for q in evidence.quotes if q.kind == "indirect"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Voters are restless. A new Quinnipiac University poll found that 52 percent of voters disapprove of the deal.",
            ("52 percent of voters disapprove of the deal", "Quinnipiac University", "found"),
            id="author-named-before-the-noun",
        ),
        pytest.param(
            "Schools test a lot. A study by the Council of the Great City Schools found students take 112 tests before graduating.",
            ("students take 112 tests before graduating", "Council of the Great City Schools", "found"),
            id="author-after-by",
        ),
        pytest.param(
            "Senate races in Ohio and Florida are all close, a Quinnipiac University poll shows.",
            ("Senate races in Ohio and Florida are all close", "Quinnipiac University", "shows"),
            id="closing",
        ),
        pytest.param(
            "Voters are split on funding for clinics, a new Quinnipiac University poll finds, a debate that will go on for months.",
            ("Voters are split on funding for clinics", "Quinnipiac University", "finds"),
            id="closing-before-a-comma",
        ),
        pytest.param("Polls show Clinton up by 10 points in New York.", ("Clinton up by 10 points in New York", None, "show"), id="no-author"),
        pytest.param(
            "Voters in Ames met on Sunday. A new Iowa poll shows Clinton up by 10 points in the state.",
            ("Clinton up by 10 points in the state", None, "shows"),
            id="a-place-is-no-author",
        ),
        pytest.param(
            "The Toledo Herald looked at the schools. The report found that most schools had cut their music classes.",
            ("most schools had cut their music classes", "Toledo Herald", "found"),
            id="the-report-stands-for-its-outlet",
        ),
        pytest.param(
            "The Toledo Herald ran two polls this year. The polls show that most voters want the bridge rebuilt.",
            ("most voters want the bridge rebuilt", None, "show"),
            id="plural-documents-stand-for-no-one",
        ),
    ],
)
def test_a_documents_finding_is_reported_content_of_its_author(text: str, expected: tuple[str, str | None, str]) -> None:
    assert findings(text) == [expected]


def test_the_subject_of_a_finding_stops_at_a_verb() -> None:
    """ "Maria Smith says the poll found ...": the poll's finding is not Smith's, though Smith is named a few words before."""
    text = "Maria Smith says the poll found nothing new at all in the county."
    assert ("nothing new at all in the county", None, "found") in findings(text)


@pytest.mark.parametrize(
    "text",
    [
        "Police found the body of a man near the river on Sunday.",
        "Maria Smith found the keys under the mat in her car.",
        "The video shows Maria Smith outlining the plan to the council.",
        "The bridge was found to be unsafe by the inspectors last year.",
        "Senate races in Ohio and Florida are all close, Maria Smith found.",
    ],
)
def test_only_a_document_reports_a_finding(text: str) -> None:
    assert [q for q in findings(text) if q[2] in ("found", "shows")] == []


def test_a_sentence_without_a_document_word_is_not_parsed_for_a_subject(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subject pattern is tried only where a document word precedes the verb: "found a way" and "shows up" are common."""
    calls: list[int] = []
    subject = findings_module._SUBJECT

    class Counted:
        def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
            calls.append(pos)
            return subject.search(text, pos, endpos)

        def fullmatch(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
            return subject.fullmatch(text, pos, endpos)

    monkeypatch.setattr(findings_module, "_SUBJECT", Counted())
    findings("Maria Smith found a way to fix the bridge. The mayor shows up at every meeting in town.")
    assert calls == []
    findings("The audit found that the bridge was unsafe for years.")
    assert len(calls) == 1
