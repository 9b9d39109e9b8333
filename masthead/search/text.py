"""Text handling shared by indexing and querying: case folding, the PostgreSQL text-search
configuration of each language, and the segmentation of Chinese (and Japanese) text.

PostgreSQL's text search splits words at spaces and punctuation, so a run of Chinese
characters (written without spaces) would be one long "word" that no query ever matches.
Both the index and the query therefore rewrite every run of CJK characters as overlapping
character bigrams ("香港选举" → "香港 港选 选举"; a run of one character stays one token) and
use the `simple` configuration for languages without a stemmer of their own. A two-character
word is then one bigram, and a longer one a phrase of consecutive bigrams. The embedded
database needs none of this: it matches substrings, which works for Chinese as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from django.db import connection

# Han ideographs (with extensions and compatibility forms), the iteration mark, and kana.
CJK_RUN = re.compile(
    "[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
)

# ISO 639-1 language → PostgreSQL text-search configuration (those PostgreSQL ships with).
# A language not listed here, or one the database lacks, is searched with `simple`.
POSTGRES_CONFIGS = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nb": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
SIMPLE_CONFIG = "simple"

# Private-use characters that mark highlights in PostgreSQL's headlines; removed from indexed
# text so that content can never forge one.
START_MARK = "\ue000"
STOP_MARK = "\ue001"
_UNWANTED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{START_MARK}{STOP_MARK}]")


def clean(text: str) -> str:
    """Text without control characters or highlight markers, ready to store or search."""
    return _UNWANTED.sub(" ", text or "")


def fold(text: str) -> str:
    """Text for case-insensitive matching (in every script, unlike SQLite's LIKE)."""
    return unicodedata.normalize("NFC", text).casefold()


def has_cjk(text: str) -> bool:
    return bool(CJK_RUN.search(text))


def bigrams(run: str) -> list[str]:
    """Overlapping two-character pieces of a CJK run; a run of one character is itself."""
    if len(run) < 2:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)]


def segment_cjk(text: str) -> str:
    """`text` with each CJK run replaced by its bigrams, separated by spaces (for indexing)."""
    return CJK_RUN.sub(lambda match: f" {' '.join(bigrams(match.group()))} ", text)


def segment_cjk_query(query: str) -> str:
    """A web-search query with each CJK run replaced by its bigrams, as a quoted phrase so that
    the bigrams must be consecutive (inside the reader's own quotes, just the bigrams)."""
    parts = query.split('"')
    for index, part in enumerate(parts):
        inside_quotes = index % 2 == 1
        parts[index] = CJK_RUN.sub(
            lambda match, inside=inside_quotes: (
                f" {' '.join(bigrams(match.group()))} "
                if inside
                else f' "{" ".join(bigrams(match.group()))}" '
            ),
            part,
        )
    return '"'.join(parts)


def base_language(code: str) -> str:
    return code.split("-")[0].split("_")[0].lower()


@cache
def _available_configs() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return frozenset(name for (name,) in cursor.fetchall())


def text_search_config(language_code: str) -> str:
    """The PostgreSQL text-search configuration for a language: its stemmer, else `simple`."""
    name = POSTGRES_CONFIGS.get(base_language(language_code))
    if name and name in _available_configs():
        return name
    return SIMPLE_CONFIG


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"
