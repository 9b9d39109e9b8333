"""`manage.py translate_archive`: queue the translation of existing articles, resumably."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from masthead.newsroom.models import ArticlePage
from masthead.translation.models import TranslationRecord


@pytest.fixture
def engine(marking_engine):
    return marking_engine


@pytest.fixture
def archive(newsroom):
    """Three published English stories, one a week old, that were never translated (an old
    archive, from before machine translation or from an import)."""
    section = newsroom.section("Harbour")
    author = newsroom.author("Rosa Quill")
    for days in (0, 1, 7):
        newsroom.article(
            section, f"Story from {days} days ago", [author], timezone.now() - timedelta(days=days)
        )
    TranslationRecord.objects.all().delete()
    return list(ArticlePage.objects.live().filter(locale__language_code="en"))


def run(*args: str, capture=None) -> str:
    output = io.StringIO()
    if capture is None:
        call_command("translate_archive", *args, stdout=output)
    else:
        with capture(execute=True):
            call_command("translate_archive", *args, stdout=output)
    return output.getvalue()


def test_it_translates_every_article_into_every_language_with_a_progress_bar(
    engine, archive, django_capture_on_commit_callbacks
):
    output = run(capture=django_capture_on_commit_callbacks)

    assert "3/3" in output and "[#" in output
    assert "Queued 21 translation(s) of 3 article(s)" in output
    for article in archive:
        assert article.get_translations().live().count() == 7


def test_running_it_again_queues_only_what_is_left(
    engine, archive, django_capture_on_commit_callbacks
):
    run("--language", "fr", capture=django_capture_on_commit_callbacks)

    output = run(capture=django_capture_on_commit_callbacks)

    assert "Queued 18 translation(s)" in output  # French is done already
    engine.calls.clear()
    assert "Queued 0 translation(s)" in run()
    assert engine.calls == []


def test_since_limits_it_to_recent_articles(engine, archive, django_capture_on_commit_callbacks):
    recent = sum(
        1
        for page in archive
        if page.first_published_at >= timezone.now() - timedelta(days=3, hours=1)
    )
    since = (timezone.now() - timedelta(days=3, hours=1)).date().isoformat()

    output = run("--since", since, "--language", "de", capture=django_capture_on_commit_callbacks)

    assert f"of {recent} article(s)" in output
    assert recent < len(archive)


def test_bad_arguments_get_a_clear_message(archive):
    with pytest.raises(CommandError, match="--since must be a date"):
        run("--since", "last week")
    with pytest.raises(CommandError, match="Unknown language 'xx'"):
        run("--language", "xx")
