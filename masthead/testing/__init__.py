"""Shared test support: content builders and a running Masthead (see `fixtures.py`)."""
