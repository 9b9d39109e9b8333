"""Benchmark: Masthead's Argos pipeline against a bare CTranslate2 call on the same model.

Translates one long demo article English → French with a tiny and a Transformer-base-sized
random model, (a) through `ArgosEngine.translate_html` (HTML parsing, sentence splitting,
tokenizing, one batch, decoding, markup rebuilt) and (b) with a bare
`ctranslate2.Translator.translate_batch` on the same tokenized sentences with the same options.
Random weights don't know when to stop, so both sides decode to the same fixed cap.

    .venv/bin/python bench/translation.py [--repeat N]

The last line is `pipeline_vs_bare=<ratio>` for the base-sized model (pipeline throughput over
bare throughput; 1.00 means the pipeline costs nothing on top of the model).
"""

from __future__ import annotations

import argparse
import html
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DECODING_CAP = 48  # tokens per translated sentence, both sides


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

    fragments = article_fragments()
    print(f"Article: {len(fragments)} fragments, {os.cpu_count()} CPU cores")
    ratio = 0.0
    for size in ("tiny", "base"):
        ratio = compare(size, fragments, scratch / size, arguments.repeat)
    print(f"pipeline_vs_bare={ratio:.2f}")


def article_fragments() -> list[str]:
    """The demo's long article as wagtail-localize would segment it: inline HTML per paragraph,
    escaped text for headings, quotes and attributions."""
    from masthead.newsroom.demo.content import ARTICLES

    fragments = []
    for block_type, value in ARTICLES[4]["body"]:
        if block_type == "paragraph":
            fragments.append(value.removeprefix("<p>").removesuffix("</p>"))
        elif isinstance(value, dict):
            fragments.extend(html.escape(text, quote=False) for text in value.values())
        else:
            fragments.append(html.escape(value, quote=False))
    return fragments


def compare(size: str, fragments: list[str], directory: Path, repeat: int) -> float:
    from masthead.testing.argos import build_argos_package
    from masthead.translation.engines.argos import ArgosEngine
    from masthead.translation.engines.html import translate_fragments
    from masthead.translation.engines.sentences import SentenceBatch, split_sentences
    from masthead.translation.packages import install_package

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

    pipeline_times, bare_times = interleaved(run_pipeline, run_bare, repeat)
    for label, times in (("pipeline", pipeline_times), ("bare", bare_times)):
        median, best = statistics.median(times), min(times)
        print(
            f"  {label:<8} median {median * 1000:8.1f} ms = {len(tokens) / median:8.1f} sentences/s"
            f"   best {best * 1000:8.1f} ms = {len(tokens) / best:8.1f} sentences/s"
        )
    # Each pipeline run is compared with the bare run right after it (the machine's load
    # drifts), and the median of those ratios is the figure.
    ratios = [bare / pipeline for pipeline, bare in zip(pipeline_times, bare_times, strict=True)]
    ratio = statistics.median(ratios)
    print(
        f"  {size}: pipeline/bare throughput {ratio:.2f} (median of paired runs; "
        f"from {min(ratios):.2f} to {max(ratios):.2f})"
    )
    engine.unload()
    return ratio


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
