"""The page being served adds its translations to its dependency record: the language
switcher changes when a translation of it goes live or is withdrawn."""

from wagtail import hooks

from masthead.pagecache import dependencies


@hooks.register("before_serve_page")
def record_translations(page, request, serve_args, serve_kwargs) -> None:
    dependencies.record(
        dependencies.page_tag(page.pk), dependencies.translations_tag(page.translation_key)
    )
