"""Small server-side SVG charts: no JavaScript, no CDN, print as they show."""
from __future__ import annotations

import datetime as dt
import unicodedata

from markupsafe import Markup, escape

def text_width(text: str, size: int = 12) -> float:
    """The width a label takes in the charts' font: a Chinese (full-width) character is ``size`` wide, others about
    0.6 of it (an estimate: the SVG is drawn on the server, without the browser's font metrics)."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.6 for ch in text)


def fit(text: str, max_width: float, size: int = 12) -> str:
    """``text`` cut to ``max_width`` with an ellipsis when it does not fit (the full text goes into a <title>)."""
    if text_width(text, size) <= max_width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > max_width:
            break
        out += ch
    return out + "…"


def label_text(x: float, y: float, text: str, max_width: float, *, anchor: str = "end", fill: str | None = None,
               size: int = 12, full: str | None = None) -> str:
    """A label that fits its room: abbreviated with "…" when too long, the full text (or ``full``) on hover."""
    shown = fit(text, max_width, size)
    colour = f' fill="{fill}"' if fill else ""
    tip = full or (text if shown != text else None)
    hover = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}"{colour}>{hover}{escape(shown)}</text>')


PALETTE = ["#1f4e8c", "#2e7d32", "#b06000", "#8e24aa", "#00838f", "#c62828", "#5d4037", "#3949ab"]


def bar_chart(items: list[tuple[str, int]], *, title: str, width: int = 420, bar_h: int = 18,
              highlight: set[str] | None = None) -> Markup:
    """Horizontal bars with their values; ``items`` in display order."""
    label_w, gap = 150, 6
    height = 30 + len(items) * (bar_h + gap)
    top = max([v for _, v in items] + [1])
    scale = (width - label_w - 40) / top
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12">',
             f'<text x="0" y="14" font-weight="bold" font-size="13">{escape(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = 26 + i * (bar_h + gap)
        colour = PALETTE[5] if highlight and label in highlight else PALETTE[0]
        parts.append(label_text(label_w - 6, y + bar_h - 5, label, label_w - 8))
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(value * scale, 1):.1f}" height="{bar_h}" '
                     f'fill="{colour}" rx="2"><title>{escape(label)}：{value}</title></rect>')
        parts.append(f'<text x="{label_w + value * scale + 4:.1f}" y="{y + bar_h - 5}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _beside(right_x: float, left_x: float, y: float, text: str, width: float) -> str:
    """A date beside its mark: to the right, or to the left when it would run off the chart's right edge."""
    if right_x + text_width(text) <= width - 2:
        return f'<text x="{right_x:.1f}" y="{y}" fill="#5f6368">{escape(text)}</text>'
    return f'<text x="{left_x:.1f}" y="{y}" text-anchor="end" fill="#5f6368">{escape(text)}</text>'


#: the room of a timeline row's label (its left column, less a margin)
TIMELINE_LABEL_ROOM = 218


def timeline_chart(rows: list[dict], *, today: dt.date, title: str, width: int = 1100) -> Markup:
    """A Gantt-like campaign timeline: rows of {"label", "start", "end", "kind"} (kind: deadline / period), and
    optionally "full": the text shown on hover when the label abbreviates a longer one."""
    dates = [d for r in rows for d in (r["start"], r["end"]) if d] + [today]
    first, last = min(dates) - dt.timedelta(days=3), max(dates) + dt.timedelta(days=5)
    span = max((last - first).days, 1)
    label_w, row_h = 230, 24
    height = 50 + len(rows) * row_h
    x = lambda d: label_w + (d - first).days * (width - label_w - 10) / span  # noqa: E731
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12">']
    month = dt.date(first.year, first.month, 1)
    while month <= last:
        if month >= first and x(month) + 3 + text_width(f"{month.year}年{month.month}月") <= width:
            parts.append(f'<line x1="{x(month):.1f}" y1="20" x2="{x(month):.1f}" y2="{height}" stroke="#d9dee6"/>'
                         f'<text x="{x(month) + 3:.1f}" y="16" fill="#5f6368">{month.year}年{month.month}月</text>')
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for i, r in enumerate(rows):
        y = 30 + i * row_h
        parts.append(label_text(label_w - 8, y + 15, r["label"], TIMELINE_LABEL_ROOM, full=r.get("full")))
        if r["kind"] == "deadline" and r["end"]:
            cx = x(r["end"])
            late = r["end"] < today
            parts.append(f'<path d="M{cx:.1f},{y + 3} l7,8 l-7,8 l-7,-8 z" fill="{"#b42318" if late else "#b06000"}">'
                         f'<title>{escape(r["label"])}：{r["end"]:%Y-%m-%d}</title></path>'
                         + _beside(cx + 10, cx - 10, y + 15, f'{r["end"].month}月{r["end"].day}日', width))
        elif r["start"] and r["end"]:
            x1, x2 = x(r["start"]), x(r["end"] + dt.timedelta(days=1))
            colour = {"unit": "#b06000", "province": "#1f4e8c", "national": "#2e7d32"}.get(r.get("level"), "#1f4e8c")
            parts.append(f'<rect x="{x1:.1f}" y="{y + 4}" width="{max(x2 - x1, 2):.1f}" height="16" rx="3" fill="{colour}" '
                         f'opacity="0.85"><title>{escape(r["label"])}：{r["start"]:%Y-%m-%d} 至 {r["end"]:%Y-%m-%d}</title></rect>'
                         + _beside(x2 + 4, x1 - 4, y + 15, f'{r["start"].month}.{r["start"].day}–'
                                   f'{r["end"].month}.{r["end"].day}', width))
    tx = x(today)
    today_anchor = "end" if tx + 3 + text_width("今天") > width else "start"
    parts.append(f'<line x1="{tx:.1f}" y1="20" x2="{tx:.1f}" y2="{height}" stroke="#b42318" stroke-width="2" '
                 f'stroke-dasharray="4 3"/><text x="{tx + 3 if today_anchor == "start" else tx - 3:.1f}" y="{height - 4}" '
                 f'text-anchor="{today_anchor}" fill="#b42318">今天</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
