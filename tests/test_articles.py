from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.articles import Article, article_from_record, decode_bytes, html_to_text, make_article, parse_json_record, read_article
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
    with pytest.raises(InputError, match="--max-chars"):
        make_article("word " * 100, max_chars=50)
    assert make_article("word " * 100, max_chars=1000).text.startswith("word")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café “quoted”".encode(), "Café “quoted”"),
        ("\ufeffBOM text".encode(), "BOM text"),
        ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
        ("Caf\xe9 \x93quoted\x94".encode("latin-1"), "Café “quoted”"),
    ],
)
def test_bytes_are_decoded_sensibly(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


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
