"""Translating inline-HTML fragments as a batch of text nodes, with the markup kept from the source.

Every fragment is parsed with BeautifulSoup; the text nodes that need translating are collected
from all fragments at once and handed to the engine in one call; each translation then replaces
its node as a plain text node, which BeautifulSoup escapes on output. The markup therefore comes
from the source alone: nothing an engine returns is ever parsed as HTML.

Rules:
- Text under code, pre, kbd, samp, var, script, style, time, math or svg, or under an element
  whose nearest `translate` attribute says "no", is kept as it is; so are comments.
- Whitespace at the start and end of each text node is kept; a node of only whitespace, or a
  fragment with nothing to translate, comes back unchanged.
- Control characters (but newline and tab) and U+FFFD are removed from engine output.
- Fragments come back serialized as wagtail-localize writes its segments (`str(soup)`), so a
  wagtail-localize segment's markup comes back character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

UNTRANSLATED_ELEMENTS = frozenset(
    {"code", "pre", "kbd", "samp", "var", "script", "style", "time", "math", "svg"}
)

# C0 and C1 controls except tab (\x09) and newline (\x0a), and the replacement character.
_UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


def clean_output(text: str) -> str:
    """Machine output with control characters and U+FFFD removed."""
    return _UNSAFE_CHARACTERS.sub("", text)


@dataclass
class _TextNode:
    node: NavigableString
    leading: str
    text: str
    trailing: str


def translate_fragments(
    fragments: Sequence[str], translate_texts: Callable[[list[str]], list[str]]
) -> list[str]:
    """Translate the text of every fragment with ONE call of `translate_texts` (given the text
    nodes' texts without their edge whitespace; it returns one translation per text)."""
    documents: list[BeautifulSoup | None] = []
    nodes: list[_TextNode] = []
    for fragment in fragments:
        document = BeautifulSoup(fragment, "html.parser") if fragment.strip() else None
        found = _translatable_nodes(document) if document is not None else []
        documents.append(document if found else None)
        nodes.extend(found)
    if not nodes:
        return list(fragments)

    translations = translate_texts([node.text for node in nodes])
    if len(translations) != len(nodes):
        raise ValueError(f"{len(translations)} translations for {len(nodes)} texts")
    for node, translation in zip(nodes, translations, strict=True):
        node.node.replace_with(
            NavigableString(node.leading + clean_output(translation).strip() + node.trailing)
        )
    return [
        fragment if document is None else str(document)
        for fragment, document in zip(fragments, documents, strict=True)
    ]


def _translatable_nodes(document: BeautifulSoup) -> list[_TextNode]:
    found = []
    for string in document.find_all(string=True):
        # Comments, CDATA, doctypes and script/style contents are NavigableString subclasses.
        if type(string) is not NavigableString or not string.strip():
            continue
        if not _is_translatable(string):
            continue
        text = str(string)
        leading = text[: len(text) - len(text.lstrip())]
        trailing = text[len(text.rstrip()) :]
        found.append(_TextNode(string, leading, text.strip(), trailing))
    return found


def _is_translatable(string: NavigableString) -> bool:
    """Whether a text node is outside untranslated elements and not marked translate="no".

    As in HTML, the nearest element with a `translate` attribute decides.
    """
    decided = False
    for element in string.parents:
        if not isinstance(element, Tag):
            continue
        if element.name in UNTRANSLATED_ELEMENTS:
            return False
        translate = element.get("translate")
        if not decided and isinstance(translate, str):
            if translate.strip().lower() == "no":
                return False
            decided = True
    return True
