"""Benchmark: Masthead's Argos pipeline against a bare CTranslate2 call on the same model.

Translates one long demo article English → French with a tiny and a Transformer-base-sized
random model, (a) through `ArgosEngine.translate_html` (HTML parsing, sentence splitting,
tokenizing, one batch, decoding, markup rebuilt), (a+) through Masthead's whole path for an
article page (`pipeline.translate`: wagtail-localize segments, the engine, the string
translations, the translated page saved and published, in a scratch SQLite database) and (b) with
a bare `ctranslate2.Translator.translate_batch` on the same tokenized sentences with the same
options. Random weights don't know when to stop, so all sides decode to the same fixed cap.

    .venv/bin/python bench/translation.py [--repeat N]

The last line is `pipeline_vs_bare=<ratio>` for the base-sized model and the whole article path
(a+) (throughput over bare throughput; 1.00 means Masthead costs nothing on top of the model).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DECODING_CAP = 32  # tokens per translated sentence, all sides (random weights never stop early)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per side (default 7)")
    arguments = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    os.environ["MASTHEAD_DATA_DIR"] = str(scratch / "data")
    os.environ["MASTHEAD_TRANSLATION_MODELS_DIR"] = str(scratch / "models")
    sys.path.insert(0, str(REPO_ROOT))
    import django

    django.setup()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    article = demo_article()
    fragments = article_fragments(article)
    print(f"Article: {len(fragments)} fragments, {os.cpu_count()} CPU cores")
    ratio = 0.0
    for size in ("tiny", "base"):
        ratio = compare(size, fragments, article, scratch / size, arguments.repeat)
    print(f"pipeline_vs_bare={ratio:.2f}")


def demo_article():
    """The demo's long article (ARTICLES[4]) as a published page in a scratch newsroom."""
    from wagtail.rich_text import RichText

    from masthead.newsroom.demo.content import ARTICLES
    from masthead.testing.content import NewsroomBuilder

    newsroom = NewsroomBuilder.start()
    spec = ARTICLES[4]
    body = []
    for block_type, value in spec["body"]:
        if block_type == "paragraph":
            value = RichText(value)
        elif block_type == "heading":
            value = {"text": value, "level": "h2"}
        body.append((block_type, value))
    # A short headline: random weights turn a long one into more than a headline may hold.
    article = newsroom.article(
        newsroom.section("Canada"),
        "Halifax port inspections",
        [newsroom.author("Inés Carvajal")],
        slug=spec["slug"],
    )
    article.body = body
    article.save_revision().publish()
    return article


def article_fragments(article) -> list[str]:
    """The article's text as wagtail-localize segments it (what every path translates)."""
    from wagtail_localize.models import StringSegment, TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(article)
    segments = StringSegment.objects.filter(source=source).select_related("string")
    return [segment.string.data for segment in segments.order_by("order")]


def compare(size: str, fragments: list[str], article, directory: Path, repeat: int) -> float:
    from masthead.testing.argos import build_argos_package
    from masthead.translation.engines.argos import ArgosEngine
    from masthead.translation.engines.html import translate_fragments
    from masthead.translation.engines.sentences import SentenceBatch, split_sentences
    from masthead.translation.packages import install_package
    from masthead.translation.pipeline import translate

    started = time.perf_counter()
    archive = build_argos_package(directory / "archives", "en", "fr", size=size)
    install_package(archive, directory / "models")
    print(
        f"\n{size}: {archive.stat().st_size / 1e6:.1f} MB archive, ready in "
        f"{time.perf_counter() - started:.1f} s"
    )

    engine = ArgosEngine(directory / "models", beam_size=2, max_decoding_length=DECODING_CAP)
    model = engine.model(("en", "fr"))  # loaded once, as in a running worker

    # The bare side: the same model, the same sentences tokenized the same way, the same options.
    texts: list[str] = []
    translate_fragments(fragments, lambda found: texts.extend(found) or found)
    tokens = model.tokenize(SentenceBatch(texts, "en").sentences)
    options = engine.batch_options(tokens)
    print(f"{len(tokens)} sentences, {sum(map(len, tokens))} source tokens; options {options}")

    def run_pipeline() -> None:
        split_sentences.cache_clear()  # measure a first translation, not a cached split
        engine.translate_html("en", "fr", fragments)

    def run_bare() -> None:
        model.translator.translate_batch(tokens, **options)

    def run_article() -> None:
        split_sentences.cache_clear()
        forget_french_translation(article)
        record = translate(article, french, engine)
        if record.state != "machine":
            raise SystemExit(f"The article was not translated: {record.detail}")

    from wagtail.models import Locale

    french = Locale.objects.get(language_code="fr")
    engine_ratio = report("engine", run_pipeline, run_bare, len(tokens), repeat, size)
    article_ratio = report("article", run_article, run_bare, len(tokens), repeat, size)
    print(f"  {size}: engine path {engine_ratio:.2f}, whole article path {article_ratio:.2f}")
    engine.unload()
    return article_ratio


def report(label, run_masthead, run_bare, sentences: int, repeat: int, size: str) -> float:
    masthead_times, bare_times = interleaved(run_masthead, run_bare, repeat)
    for name, times in ((label, masthead_times), ("bare", bare_times)):
        median, best = statistics.median(times), min(times)
        print(
            f"  {name:<8} median {median * 1000:8.1f} ms = {sentences / median:8.1f} sentences/s"
            f"   best {best * 1000:8.1f} ms = {sentences / best:8.1f} sentences/s"
        )
    # Each Masthead run is compared with the bare run right after it (the machine's load
    # drifts), and the median of those ratios is the figure.
    ratios = [bare / mine for mine, bare in zip(masthead_times, bare_times, strict=True)]
    ratio = statistics.median(ratios)
    print(
        f"  {size} {label}: Masthead/bare throughput {ratio:.2f} (median of paired runs; "
        f"from {min(ratios):.2f} to {max(ratios):.2f})"
    )
    return ratio


def forget_french_translation(article) -> None:
    """Forget the article's French strings, so the next run translates every segment again
    (and saves and publishes the French page again), as after a rewrite of the whole article."""
    from wagtail.models import Locale
    from wagtail_localize.models import StringTranslation

    StringTranslation.objects.filter(
        locale=Locale.objects.get(language_code="fr"), context__object_id=article.translation_key
    ).delete()


def interleaved(
    first: Callable[[], None], second: Callable[[], None], repeat: int
) -> tuple[list[float], list[float]]:
    """Time both, alternating, after one untimed warm-up run of each."""
    first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for run, measured in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            run()
            measured.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    main()
