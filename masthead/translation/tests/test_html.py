"""The HTML text-node batcher and the sentence splitter, with a stand-in for the model."""

from __future__ import annotations

import re

import pytest

from masthead.translation.engines.html import clean_output, translate_fragments
from masthead.translation.engines.sentences import SentenceBatch, pysbd_language


class Recorder:
    """Upper-cases texts (or returns `reply`), recording each call."""

    def __init__(self, reply: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.reply = reply

    def __call__(self, texts: list[str]) -> list[str]:
        self.calls.append(texts)
        return [self.reply if self.reply is not None else text.upper() for text in texts]


def test_markup_links_and_entities_come_back_as_they_were():
    fragments = [
        'The mayor <b>voted</b> on <a id="a1">the budget</a> today.',
        "Fish &amp; chips <i>for</i> <em>all</em>.<br/>New line",
        'Read <a href="https://example.org/a_b?x=1&amp;y=2" title="the file">the file</a>.',
    ]
    assert translate_fragments(fragments, Recorder()) == [
        'THE MAYOR <b>VOTED</b> ON <a id="a1">THE BUDGET</a> TODAY.',
        "FISH &amp; CHIPS <i>FOR</i> <em>ALL</em>.<br/>NEW LINE",
        'READ <a href="https://example.org/a_b?x=1&amp;y=2" title="the file">THE FILE</a>.',
    ]


KEPT = re.compile(r"<(code|kbd|samp|var|time|pre|span)[^>]*>.*?</\1>|<!--.*?-->")


@pytest.mark.parametrize(
    "fragment",
    [
        "Run <code>manage.py check</code> now",
        "Press <kbd>Ctrl</kbd> and <samp>ok</samp> with <var>x</var>",
        "On <time>Monday</time> at <pre>  text  </pre>",
        'We thank <code translate="no">{supporters}</code> readers',
        'The <span translate="no">Hemisphere <b>Ledger</b></span> says',
        "A <!-- a comment --> remark",
    ],
)
def test_code_and_translate_no_are_kept(fragment):
    result = translate_fragments([fragment], Recorder())[0]
    for kept in KEPT.finditer(fragment):
        assert kept.group(0) in result
    assert result != fragment  # the rest was translated


def test_the_nearest_translate_attribute_decides():
    fragment = '<span translate="no">Keep <b translate="yes">change</b></span>'
    assert translate_fragments([fragment], Recorder()) == [
        '<span translate="no">Keep <b translate="yes">CHANGE</b></span>'
    ]


def test_all_fragments_go_in_one_call_of_stripped_texts():
    recorder = Recorder()
    fragments = [f"Sentence <b>number</b> {n}. " for n in range(50)]
    results = translate_fragments(fragments, recorder)
    assert len(recorder.calls) == 1
    assert len(recorder.calls[0]) == 150  # three text nodes each
    assert all(text == text.strip() for text in recorder.calls[0])
    assert results[7] == "SENTENCE <b>NUMBER</b> 7. "


def test_edge_whitespace_and_blank_fragments_are_kept():
    recorder = Recorder()
    fragments = ["", "   ", " \n", "  padded  ", "a <b> bold </b> b", "<b></b>", "<br/>"]
    assert translate_fragments(fragments, recorder) == [
        "",
        "   ",
        " \n",
        "  PADDED  ",
        "A <b> BOLD </b> B",
        "<b></b>",
        "<br/>",
    ]
    assert len(recorder.calls) == 1


def test_nothing_to_translate_makes_no_call():
    recorder = Recorder()
    assert translate_fragments(["", "<code>x</code>"], recorder) == ["", "<code>x</code>"]
    assert recorder.calls == []


def test_engine_output_is_text_never_markup():
    results = translate_fragments(
        ["A &lt;script&gt; tag", "Plain"], Recorder(reply='<script>alert("x")</script><b>')
    )
    for result in results:
        assert "<script" not in result
        assert "<b>" not in result
        assert "&lt;script&gt;" in result


def test_control_characters_are_stripped_from_engine_output():
    [result] = translate_fragments(["Text"], Recorder(reply="a\x00b\x1c\x7f\x85c\ufffd\n\td"))
    assert result == "abc\n\td"
    assert clean_output("ok\x1b[31m") == "ok[31m"


def test_wrong_number_of_translations_is_an_error():
    with pytest.raises(ValueError):
        translate_fragments(["One", "Two"], lambda texts: texts[:1])


def test_sentences_are_split_batched_and_joined():
    batch = SentenceBatch(
        ["Dr. Smith went to Ottawa. He voted!", "First line.\nSecond line. Third.", "2024 — 72%"],
        "en",
    )
    assert batch.sentences == [
        "Dr. Smith went to Ottawa.",
        "He voted!",
        "First line.",
        "Second line.",
        "Third.",
    ]
    translated = [f"<{n}>" for n in range(len(batch.sentences))]
    assert batch.assemble(translated, "fr") == ["<0> <1>", "<2>\n<3> <4>", "2024 — 72%"]
    assert batch.assemble(translated, "zh-hans") == ["<0><1>", "<2>\n<3><4>", "2024 — 72%"]


def test_chinese_sentences_split_on_chinese_punctuation():
    text = "我们去了。你呢？好的！"  # noqa: RUF001 (Chinese punctuation is the point)
    assert SentenceBatch([text], "zh-hans").sentences == ["我们去了。", "你呢？", "好的！"]  # noqa: RUF001


def test_languages_without_pysbd_rules_fall_back():
    assert pysbd_language("pt") == "es"
    assert pysbd_language("zh-hans") == "zh"
    assert pysbd_language("fr") == "fr"
    assert pysbd_language("xx") == "en"
