"""The timeline of the programmes' periods: an SVG drawn on the server.

No viewBox: horizontal positions are percentages of the width and text keeps
its size in CSS pixels, so the bars stretch to the screen while the labels
stay legible on a phone. A period is shown as far as the sources state it:
a programme with no end date published fades out after its start instead of
ending at a guessed year; one with no dates has its label and no bar.

The SVG is an image (role="img") named by its <title>; its text equivalent is
the list that follows it (includes/timeline.html), which aria-describedby
names.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import format_html, format_html_join

ROW_HEIGHT = 64  # px: the name, the period below it, and a bar
PERIOD_OFFSET = 34  # px from the row's top to the period's baseline
BAR_OFFSET = 42  # px from the row's top to its bar
BAR_HEIGHT = 14
AXIS_HEIGHT = 28
TICK_STEPS = (1, 2, 5, 10, 20, 50)
MAX_TICKS = 6


@dataclass
class TimelineRow:
    programme: object
    start: float | None  # % of the width
    end: float | None
    kind: str  # "closed", "open-end", "open-start" or "unknown"

    @property
    def label(self):
        return self.programme.acronym or self.programme.name

    @property
    def period(self):
        return self.programme.period_description()

    @property
    def flag(self):
        """The period's status in words unless confirmed (e.g. unsourced)."""
        figure = self.programme.period
        return (
            "" if figure is None or figure.is_confirmed else figure.get_status_display()
        )


def year_range(programmes, this_year):
    years = [year for p in programmes for year in (p.start_year, p.end_year) if year]
    if not years:
        return None
    first = min(years)
    # Open-ended periods run on to this year at least.
    last = (
        max([*years, this_year])
        if any(not p.end_year for p in programmes)
        else max(years)
    )
    return first, last + 1  # a year is a span: 2026 ends at 2027's start


def position(year, first, last):
    return round((year - first) / (last - first) * 100, 2)


def timeline_rows(programmes, this_year=None):
    this_year = this_year or timezone.localdate().year
    bounds = year_range(programmes, this_year)
    rows = []
    for programme in programmes:
        start, end = programme.start_year, programme.end_year
        if not bounds or not (start or end):
            rows.append(TimelineRow(programme, None, None, "unknown"))
            continue
        first, last = bounds
        if start and end:
            rows.append(
                TimelineRow(
                    programme,
                    position(start, first, last),
                    position(end + 1, first, last),
                    "closed",
                )
            )
        elif start:
            rows.append(
                TimelineRow(
                    programme,
                    position(start, first, last),
                    position(max(this_year + 1, start + 1), first, last),
                    "open-end",
                )
            )
        else:
            rows.append(
                TimelineRow(programme, 0, position(end + 1, first, last), "open-start")
            )
    return rows, bounds


def ticks(first, last):
    span = last - first
    step = next((s for s in TICK_STEPS if span / s <= MAX_TICKS), TICK_STEPS[-1])
    start = first + (-first % step)
    return list(range(start, last + 1, step))


def bar(row, y):
    width = round(row.end - row.start, 2)
    # The fading fills are gradients defined in timeline_svg (site.css).
    return format_html(
        '<rect class="timeline__bar timeline__bar--{}" x="{}%" y="{}" width="{}%" '
        'height="{}" rx="3"/>',
        row.kind,
        row.start,
        y + BAR_OFFSET,
        width,
        BAR_HEIGHT,
    )


def timeline_svg(rows, bounds, title, described_by):
    """The SVG for `rows` (timeline_rows), named `title`, described by the
    element whose id is `described_by`."""
    height = ROW_HEIGHT * len(rows) + AXIS_HEIGHT
    body = []
    for index, row in enumerate(rows):
        y = index * ROW_HEIGHT
        # The period on a line of its own: name and period on one line
        # overflow a phone ("CRIMJUST since 2016 (no end date published)").
        body.append(
            format_html(
                '<text class="timeline__label" x="0" y="{}">'
                '<tspan class="timeline__name">{}</tspan>{}'
                '<tspan class="timeline__period" x="0" y="{}">{}</tspan></text>',
                y + 16,
                row.label,
                f" ({row.flag})" if row.flag else "",
                y + PERIOD_OFFSET,
                row.period,
            )
        )
        if row.start is None:
            body.append(
                format_html(
                    '<line class="timeline__unknown" x1="0" x2="100%" '
                    'y1="{y}" y2="{y}"/>',
                    y=y + BAR_OFFSET + BAR_HEIGHT // 2,
                )
            )
        else:
            body.append(bar(row, y))
    axis = []
    if bounds:
        first, last = bounds
        axis_y = ROW_HEIGHT * len(rows)
        axis.append(
            format_html(
                '<line class="timeline__axis" x1="0" x2="100%" y1="{}" y2="{}"/>',
                axis_y + 2,
                axis_y + 2,
            )
        )
        year_ticks = ticks(first, last)
        for year in year_ticks:
            x = position(year, first, last)
            anchor = "start" if x < 8 else "end" if x > 92 else "middle"
            axis.append(
                format_html(
                    '<line class="timeline__tick" x1="{}%" x2="{}%" y1="{}" y2="{}"/>'
                    '<text class="timeline__year" x="{}%" y="{}" text-anchor="{}">{}'
                    "</text>",
                    x,
                    x,
                    axis_y - 2,
                    axis_y + 8,
                    x,
                    axis_y + 24,
                    anchor,
                    year,
                )
            )
    return format_html(
        '<svg class="timeline__chart" width="100%" height="{}" role="img" '
        'aria-labelledby="timeline-title" aria-describedby="{}">'
        '<title id="timeline-title">{}</title>'
        "<defs>"
        '<linearGradient id="timeline-fade-out">'
        '<stop offset="0.5" class="timeline__stop"/>'
        '<stop offset="1" class="timeline__stop timeline__stop--clear"/>'
        "</linearGradient>"
        '<linearGradient id="timeline-fade-in">'
        '<stop offset="0" class="timeline__stop timeline__stop--clear"/>'
        '<stop offset="0.5" class="timeline__stop"/>'
        "</linearGradient>"
        "</defs>{}{}</svg>",
        height,
        described_by,
        title,
        format_html_join("", "{}", ((part,) for part in body)),
        format_html_join("", "{}", ((part,) for part in axis)),
    )
