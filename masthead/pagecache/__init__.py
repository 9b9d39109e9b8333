"""Whole pages for anonymous readers, kept and refreshed exactly when what they show changes.

`wsgi.PageCacheApp` wraps Masthead's WSGI application: it answers cacheable requests from the
cache (with ETag/Last-Modified and 304s) and stores the answers it had to render.
`dependencies` records, while a page renders, everything it showed (tags such as
`page:12`, `newsroom.author:3`, `section:5`, `supporters`); `invalidation` bumps those tags
when editors publish, move or edit something, and `store` keeps pages and tag versions in the
shared cache, so every web process on every machine sees the same state at once.
"""
