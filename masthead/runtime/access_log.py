"""Keeping the tip box out of the logs: a logging filter that leaves out the lines about
requests to `/tips/...` (in any language), used by the web server's access log
(`granian_logging.json`, which `serve` passes to granian) and by Django's own request
warnings. A line saying when someone posted to the tip box is a line a subpoena could use.

Errors (a crash while handling a tip) are still logged: they carry no address or content, and
an operator must see them. This module imports nothing from Django: granian's processes load it
before Django is set up.
"""

from __future__ import annotations

import logging
import re

# /tips, /tips/..., and the same under a language prefix (/fr/tips/, /zh-hans/tips/, ...).
TIP_BOX_PATH = re.compile(r"^/(?:[a-z]{2,3}(?:-[a-z0-9]+)?/)?tips(?:/|$)", re.IGNORECASE)


def is_tip_box_path(path: object) -> bool:
    return isinstance(path, str) and bool(TIP_BOX_PATH.match(path))


class LeaveOutTipBox(logging.Filter):
    """Drops records below ERROR that are about a tip box request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            return True
        args = record.args
        if isinstance(args, dict) and is_tip_box_path(args.get("path")):  # granian's access log
            return False
        request = getattr(record, "request", None)  # django.request, django.security
        return not is_tip_box_path(getattr(request, "path", None))
