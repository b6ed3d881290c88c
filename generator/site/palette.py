"""Colours shared by the chart theme and the site's CSS (themes/default/static/site.css mirrors
these as custom properties), so that a status looks the same in a badge and on a chart. A plan theme that sets
one of those properties to another colour gets its charts in that colour (theme_colours.py)."""

from __future__ import annotations

STATUS_COLOURS = {
    "achieved": "#1a7f37",
    "on-track": "#2563a8",
    "at-risk": "#b35900",
    "off-track": "#c0262d",
    "no-data": "#6b7280",
}

INK = "#1f2933"  # body text
MUTED = "#5b6673"  # secondary text, axis labels
GRID = "#e3e7ec"
ACCENT = "#2f4f8f"  # primary series
ACCENT_LIGHT = "#9fb3d9"  # expected path, secondary series
ACCENT_MID = "#6480bd"  # a third series between the two (a funnel stage's need to date)
TARGET = "#1f2933"
CATEGORY = ["#2f4f8f", "#3f8f7f", "#b35900", "#7a4f9f", "#c0262d", "#5b6673", "#8f7a2f"]
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
