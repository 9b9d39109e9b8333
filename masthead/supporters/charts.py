"""The geometry of the admin's month-by-month bar charts (supporters per month here, newsletter
subscribers in `masthead.newsletter.reports`), which the templates draw as inline SVG: no
JavaScript, no chart library."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format

CHART_WIDTH = 720
CHART_HEIGHT = 240
CHART_TOP = 24  # room for the numbers above the bars
CHART_BOTTOM = 36  # room for the month names below
BAR_GAP = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    middle: float
    count_y: float  # where the number above the bar sits
    count: int
    label: str  # the month, short: "Jan", "Jan 2026" at the first bar and each January
    title: str  # what the bar says in full, e.g. "January 2026: 14 supporters"
    month: str  # "2026-01"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    label_y: float
    bars: list[Bar]


def monthly_bar_chart(bars: list[tuple[date, int, str]]) -> Chart:
    """The geometry of one bar per (month, count, title), left to right."""
    baseline = CHART_HEIGHT - CHART_BOTTOM
    tallest = max((max(count, 0) for _month, count, _title in bars), default=0) or 1
    slot = CHART_WIDTH / max(len(bars), 1)
    drawn = []
    for index, (month, count, title) in enumerate(bars):
        height = (baseline - CHART_TOP) * max(count, 0) / tallest
        x = index * slot + BAR_GAP / 2
        label = date_format(month, "M")
        if index == 0 or month.month == 1:
            label = f"{label} {month.year}"
        drawn.append(
            Bar(
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot - BAR_GAP, 1),
                height=round(height, 1),
                middle=round(x + (slot - BAR_GAP) / 2, 1),
                count_y=round(baseline - height - 6, 1),
                count=count,
                label=label,
                title=title,
                month=month.strftime("%Y-%m"),
            )
        )
    return Chart(CHART_WIDTH, CHART_HEIGHT, baseline, baseline + 20, drawn)
