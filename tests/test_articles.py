from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.articles import (
    Article,
    article_from_record,
    article_from_text,
    decode_bytes,
    detect_dateline,
    detect_headline,
    html_to_text,
    make_article,
    parse_json_record,
    read_article,
)
from summarizer.errors import InputError


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "<html><body><script>x()</script></body></html>"])
def test_empty_articles_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        make_article(text)


def test_binary_text_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        make_article("abc\x00\x01\x02" * 100)
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_too_long_article_names_the_override() -> None:
    # Python callers are told the keyword; CLI users the option.
    with pytest.raises(InputError, match=r"raise max_chars \(--max-chars on the command line\)"):
        make_article("word " * 100, max_chars=50)
    assert make_article("word " * 100, max_chars=1000).text.startswith("word")


def test_the_default_cap_takes_long_articles_and_refuses_beyond_five_million_characters() -> None:
    long = "The council met again today. " * 20_000  # 580,000 characters: read in chunks, never refused
    assert make_article(long).text == long
    with pytest.raises(InputError, match=r"has 5,000,001 characters, over the limit of 5,000,000; raise max_chars"):
        make_article("x" * 5_000_001)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café “quoted”".encode(), "Café “quoted”"),
        ("\ufeffBOM text".encode(), "BOM text"),
        ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
        ("UTF-16 cut".encode("utf-16")[:-1], "UTF-16 cu\ufffd"),  # an odd byte count: the last character is lost, not the article
        ("Caf\xe9 \x93quoted\x94".encode("latin-1"), "Café “quoted”"),
    ],
)
def test_bytes_are_decoded_sensibly(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_lone_surrogates_become_replacement_characters_everywhere() -> None:
    """A JSON escape like "\\ud800" or a surrogateescape-decoded byte cannot be encoded, hashed or written."""
    article = make_article("Rain \udc80 fell in Paris.", id="a\ud800", title="T\udfff")
    assert (article.text, article.id, article.title) == ("Rain \ufffd fell in Paris.", "a\ufffd", "T\ufffd")
    assert article.sha256 == hashlib.sha256(article.text.encode()).hexdigest()
    record = parse_json_record('{"id": "\\ud800", "text": "x \\udc80", "tags": ["\\ud801"]}', where="line 1")
    assert record == {"id": "\ufffd", "text": "x \ufffd", "tags": ["\ufffd"]}
    assert parse_json_record('{"emoji": "\\ud83d\\ude00"}', where="line 1") == {"emoji": "\U0001f600"}, "a surrogate pair is one character"


@pytest.mark.parametrize(("line", "kind"), [("null", "null"), ("[]", "an array"), ('"s"', "a string"), ("12", "a number")])
def test_a_record_that_is_not_an_object_is_named_in_json_words(line: str, kind: str) -> None:
    with pytest.raises(InputError, match=f'expected a JSON object with a "text" field, got {kind}$'):
        parse_json_record(line, where="line 3")


def test_id_defaults_to_content_hash_and_is_stable() -> None:
    first, second = make_article("Same text."), make_article("Same text.")
    assert first.id == second.id and first.id.startswith("sha256:")
    assert make_article("Other text.").id != first.id
    assert make_article("Same text.", id="a-1").id == "a-1"


def test_line_endings_are_normalised_so_offsets_are_stable() -> None:
    assert make_article("one\r\ntwo\rthree").text == "one\ntwo\nthree"


def test_html_is_reduced_to_readable_paragraphs() -> None:
    html = """<!doctype html><html><head><title>T</title><style>p{}</style></head>
    <body><nav>Home | About</nav><article><h1>Headline</h1><p>First &amp; <b>bold</b> paragraph.</p>
    <p>Second   paragraph.</p><script>alert(1)</script></article><footer>(c)</footer></body></html>"""
    assert html_to_text(html) == "Headline\n\nFirst & bold paragraph.\n\nSecond paragraph."
    assert make_article(html).text == "Headline\n\nFirst & bold paragraph.\n\nSecond paragraph."


def test_records_need_a_string_text() -> None:
    assert article_from_record({"id": 7, "text": "Body.", "title": "T"}) == Article(id="7", text="Body.", title="T")
    with pytest.raises(InputError, match='no "text"'):
        article_from_record({"id": "x"})
    with pytest.raises(InputError, match="must be a string"):
        article_from_record({"id": "x", "text": 42})


@pytest.mark.parametrize(("raw", "message"), [("{bad json", "invalid JSON"), ("[1, 2]", "expected a JSON object")])
def test_malformed_json_records_say_where(raw: str, message: str) -> None:
    with pytest.raises(InputError, match=f"in.jsonl:3: {message}"):
        parse_json_record(raw, where="in.jsonl:3")


def test_read_article_takes_the_file_stem_as_id(tmp_path: Path) -> None:
    path = tmp_path / "story-1.txt"
    path.write_text("A story.", encoding="utf-8")
    assert read_article(path).id == "story-1"
    with pytest.raises(InputError, match="cannot read"):
        read_article(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"text": "bad\tx"}', "invalid JSON: Invalid control character (column 14)"),
        ('{"text": "unterminated', "invalid JSON: Unterminated string (column 10)"),
        ('{"text": 1,,}', "invalid JSON: Expecting property name enclosed in double quotes (column 12)"),
        ('{\n  "text": "x",\n  "id": "bad\tx"\n}', "invalid JSON: Invalid control character (line 3, column 13)"),
    ],
)
def test_invalid_json_messages_keep_their_position_without_a_dangling_at(raw: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_json_record(raw, where="in.json")
    assert str(caught.value) == f"in.json: {message}"


@pytest.mark.parametrize(
    ("field", "value", "kind"),
    [
        ("id", ["a", "b"], "an array"),
        ("title", {"x": 1}, "an object"),
        ("date", [2020], "an array"),
        ("url", True, "true/false"),
        ("language", {}, "an object"),
    ],
)
def test_record_fields_must_be_scalars(field: str, value: object, kind: str) -> None:
    with pytest.raises(InputError, match=f'"{field}" must be a string or a number, got {kind}'):
        article_from_record({"text": "Body.", field: value})


@pytest.mark.parametrize("date", ["not a date", "2015-13-45", "21/08/2015", "yesterday"])
def test_a_date_that_is_not_iso_is_refused_by_every_entry_point(date: str) -> None:
    with pytest.raises(InputError, match=f"the date '{date}' is not an ISO 8601 date"):
        article_from_record({"text": "Body.", "date": date})
    with pytest.raises(InputError, match="is not an ISO 8601 date"):
        summarize("Rain fell in Paris on Monday.", use_llm=False, date=date)


@pytest.mark.parametrize("date", ["2015-08-21", "2015-08-21T14:30:00Z", "2015-08-22T10:00:00+09:00", "2015", "2015-08", " 2015-08-21 "])
def test_iso_dates_and_reduced_precision_are_taken(date: str) -> None:
    assert make_article("Body.", date=date).date == date.strip()
    assert make_article("Body.", date="  ").date is None


@pytest.mark.parametrize(("field", "value"), [("title", 5), ("id", 3.5), ("date", ["2015"]), ("url", b"http://x")])
def test_the_api_refuses_fields_that_are_not_strings_with_an_input_error(field: str, value: object) -> None:
    with pytest.raises(InputError, match=f"the article's {field} must be a string or None"):
        summarize("Rain fell in Paris on Monday.", use_llm=False, **{field: value})  # type: ignore[arg-type]


def test_record_numbers_become_their_text() -> None:
    article = article_from_record({"id": 12, "text": "Body.", "date": 2020})
    assert (article.id, article.date) == ("12", "2020")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("in.jsonl", '{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n', "this is JSONL with 2 records"),
        ("in.json", '[{"id": "a", "text": "x"}, {"id": "b", "text": "y"}, {"id": "c", "text": "z"}]', "this is a JSON array of 3 records"),
        ("in.txt", '{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', "this is JSONL with 2 records"),
    ],
)
def test_batch_input_is_sent_to_the_batch_command(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=f"{name}: {message}, not one article; use `summarizer batch`"):
        read_article(path)


def test_gum_records_are_refused_as_jsonl_before_the_size_limit() -> None:
    path = Path(__file__).parent / "data" / "gum-news" / "articles.jsonl"
    with pytest.raises(InputError, match="JSONL with 24 records"):
        read_article(path)
    with pytest.raises(InputError, match="standard input: this is JSONL with 24 records"):
        article_from_text(path.read_text(encoding="utf-8"), where="standard input")


def test_one_json_object_per_file_is_still_one_article(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "a", "text": "Body.", "title": "T"}, indent=2), encoding="utf-8")
    assert read_article(path) == Article(id="a", text="Body.", title="T")


def test_gum_headlines_and_datelines_are_found_in_the_bare_text(gum_articles: dict[str, dict]) -> None:
    for record in gum_articles.values():
        article = article_from_text(record["text"], where=record["id"])
        assert (article.title, article.date) == (record["title"], record["date"]), record["id"]
        assert article.text == make_article(record["text"]).text  # the text is kept as given


def test_the_seed_article_has_no_headline_or_dateline(seed_text: str) -> None:
    # Its first paragraph is a sentence, and "date 2025-02-20" is run into it: not a dateline.
    article = article_from_text(seed_text, where="seed")
    assert (article.title, article.date) == (None, None)


def test_headline_and_dateline_from_a_plain_file(tmp_path: Path, korea_text: str) -> None:
    path = tmp_path / "korea.txt"
    path.write_text(korea_text, encoding="utf-8")
    article = read_article(path)
    assert article.title == "North Korea puts military in 'quasi-state of war'" and article.date == "2015-08-21"
    assert article.text.startswith(article.title)


def test_given_title_and_date_win_over_the_detected_ones(korea_text: str) -> None:
    article = article_from_text(korea_text, where="x", title="Mine", date="2015-01-01")
    assert (article.title, article.date) == ("Mine", "2015-01-01")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Rain in Paris\n\nIt rained.", "Rain in Paris"),
        ("# Rain in Paris #\nIt rained.", "Rain in Paris"),
        ("Rain falls on Paris again\n\nIt rained all day.", "Rain falls on Paris again"),
        ("It rained in Paris all day.\n\nMore rain.", None),  # a sentence
        ("The minister said:\n\nMore rain.", None),  # a lead-in
        ('"We will win," he said\n\nMore.', '"We will win," he said'),
        ("Paris\n\nIt rained.", None),  # one word
        ("Rain falls on Paris again", None),  # nothing follows it
        ("Rain falls\non two lines\n\nBody.", None),
        ("## Section heading\n\nBody.", None),
        ("Friday, August 21, 2015\n\nBody.", None),  # a dateline, not a headline
        ("x " * 80 + "\n\nBody.", None),  # too long
    ],
)
def test_detect_headline(text: str, title: str | None) -> None:
    assert detect_headline(text) == title


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Title here\n\nFriday, August 21, 2015\n\nBody.", "2015-08-21"),
        ("Title here\n\n21 August 2015\n\nBody.", "2015-08-21"),
        ("2015-08-21\n\nBody.", "2015-08-21"),
        ("Title\n\nAug. 21, 2015\n\nBody.", "2015-08-21"),
        ("Title\n\nSub\n\nBody\n\nFriday, August 21, 2015", None),  # not in the first three paragraphs
        ("Title\n\n2015-13-45\n\nBody.", None),
        ("Title\n\nFriday, August 21, 2015, said the minister.\n\nBody.", None),
        ("Title\n\nThursday, August 21, 2015 was hot.", None),
    ],
)
def test_detect_dateline(text: str, date: str | None) -> None:
    assert detect_dateline(text) == date
