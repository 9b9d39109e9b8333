"""The newsroom: what readers read (pages, authors, tags) and how editors write it."""
