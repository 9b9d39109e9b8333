"""Masthead: a self-hosted publishing platform for small, reader-funded newsrooms."""
