"""Render the seven-principle scorecard for people: a terminal table and a self-contained HTML page.

Pure functions over a Polars frame shaped like ``marts.quality_scorecard`` (one row per source and
day), so the command stays thin and the rendering is testable without a warehouse. The chart is
plain SVG written here: no plotting dependency, one file an operator can mail or open offline.
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Principle:
    column: str
    name_vi: str
    name_en: str
    formula: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle("score_dung", "đúng", "correct", "values passing validators × agreement with the register (DC)"),
    Principle("score_du", "đủ", "complete", "required fields filled × rows landed+quarantined / manifest"),
    Principle("score_sach", "sạch", "clean", "(1 − exact duplicate rate) × names with diacritics, current phones"),
    Principle("score_song", "sống", "live", "newest batch within the SLA on the platform clock × deaths propagated"),
    Principle("score_thong_nhat", "thống nhất", "unified", "records in 2025 communes with no conversion under review"),
    Principle("score_ket_noi", "kết nối", "connected", "person records linked to a person of the register"),
    Principle("score_dung_chung", "dùng chung", "shared", "raw contract checks passed × records services can pre-fill"),
)
OVERALL = "score_overall"
GOOD, FAIR = 95.0, 80.0  # bands: ≥ 95 good, 80–95 fair, < 80 poor


def band(score: float | None) -> str:
    if score is None:
        return "none"
    return "good" if score >= GOOD else "fair" if score >= FAIR else "poor"


_SYMBOL = {"good": "●", "fair": "◐", "poor": "○", "none": "·"}
_ANSI = {"good": "\033[32m", "fair": "\033[33m", "poor": "\033[31m", "none": "\033[2m"}
_RESET = "\033[0m"


def latest_day(scorecard: pl.DataFrame) -> pl.DataFrame:
    day = scorecard["score_day"].max()
    return scorecard.filter(pl.col("score_day") == day).sort("source_code")


def _with_previous(scorecard: pl.DataFrame) -> pl.DataFrame:
    """The latest day with each source's previous-day overall score (for the trend arrow)."""
    days = sorted(scorecard["score_day"].unique().to_list())
    latest = latest_day(scorecard)
    if len(days) < 2:
        return latest.with_columns(pl.lit(None, pl.Float64).alias("previous_overall"))
    previous = scorecard.filter(pl.col("score_day") == days[-2]).select(
        "source_name", pl.col(OVERALL).alias("previous_overall")
    )
    return latest.join(previous, on="source_name", how="left")


def text_table(scorecard: pl.DataFrame, colour: bool = False) -> str:
    """The latest day as a source × principle table with band symbols (and ANSI colours on a terminal)."""
    if scorecard.is_empty():
        return "the scorecard is empty: run `ndc run` first"
    rows = _with_previous(scorecard)
    day = rows["score_day"][0]

    def cell(value: float | None, width: int) -> str:
        b = band(value)
        text = f"{_SYMBOL[b]} {value:5.1f}" if value is not None else f"{_SYMBOL[b]}   n/a"
        text = text.rjust(width)
        return f"{_ANSI[b]}{text}{_RESET}" if colour else text

    headers = [p.name_vi for p in PRINCIPLES] + ["overall"]
    widths = [max(len(h), 7) for h in headers]
    lines = [
        f"Quality scorecard, extract day {day} ({rows.height} sources; ● ≥ {GOOD:g}  ◐ ≥ {FAIR:g}  ○ below)",
        "source                 " + "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)) + "   trend",
    ]
    for row in rows.iter_rows(named=True):
        values = [row[p.column] for p in PRINCIPLES] + [row[OVERALL]]
        delta = None if row["previous_overall"] is None else row[OVERALL] - row["previous_overall"]
        arrow = "" if delta is None else ("↑" if delta > 0.05 else "↓" if delta < -0.05 else "→") + f" {delta:+.1f}"
        label = f"{row['source_code']} {row['source_name']}"[:22].ljust(22)
        lines.append(label + " " + "  ".join(cell(v, w) for v, w in zip(values, widths, strict=True)) + "   " + arrow)
    means = [rows[p.column].mean() for p in PRINCIPLES] + [rows[OVERALL].mean()]
    lines.append("all sources (mean)     " + "  ".join(cell(v, w) for v, w in zip(means, widths, strict=True)))
    return "\n".join(lines)


# ---------------------------------------------------------------- HTML + SVG


def _colour(score: float | None) -> str:
    """Red (≤ 60) → amber (80) → green (100), the scale an operator reads without a legend."""
    if score is None:
        return "#d9d9d9"
    stops = ((60.0, (200, 40, 40)), (80.0, (235, 160, 40)), (95.0, (170, 205, 90)), (100.0, (40, 150, 70)))
    rgb = stops[-1][1]
    if score <= stops[0][0]:
        rgb = stops[0][1]
    else:
        for (low, c_low), (high, c_high) in itertools.pairwise(stops):
            if score <= high:
                t = (score - low) / (high - low)
                rgb = tuple(round(a + (b - a) * t) for a, b in zip(c_low, c_high, strict=True))
                break
    return "rgb({},{},{})".format(*rgb)


def heatmap_svg(latest: pl.DataFrame) -> str:
    """Sources (rows) × principles (columns) for one day, each cell coloured and labelled with its score."""
    columns = [*PRINCIPLES, Principle(OVERALL, "tổng", "overall", "mean of the seven")]
    left, top, cell_w, cell_h = 190, 58, 84, 26
    width = left + cell_w * len(columns) + 10
    height = top + cell_h * latest.height + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">']
    for j, p in enumerate(columns):
        x = left + j * cell_w + cell_w / 2
        out.append(f'<text x="{x}" y="24" text-anchor="middle" font-size="13" font-weight="bold">{p.name_vi}</text>')
        out.append(f'<text x="{x}" y="42" text-anchor="middle" font-size="11" fill="#555">{p.name_en}</text>')
    for i, row in enumerate(latest.iter_rows(named=True)):
        y = top + i * cell_h
        label = html.escape(f"{row['source_code']}  {row['source_name']}")
        out.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="12">{label}</text>')
        for j, p in enumerate(columns):
            value = row[p.column]
            x = left + j * cell_w
            stroke = ' stroke="#333" stroke-width="1.5"' if p.column == OVERALL else ' stroke="#fff"'
            text = "n/a" if value is None else f"{value:.1f}"
            ink = "#fff" if value is not None and value < 80 else "#111"
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{_colour(value)}"{stroke}>'
                f"<title>{html.escape(row['source_name'])} · {p.name_vi}: {text}</title></rect>"
            )
            out.append(
                f'<text x="{x + cell_w / 2}" y="{y + 17}" text-anchor="middle" font-size="12" '
                f'fill="{ink}">{text}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def trend_svg(scorecard: pl.DataFrame, principle: Principle, worst: int = 3) -> str:
    """One small chart: every source as a faint line, the mean of all sources bold, the weakest sources named."""
    w, h, pad_l, pad_r, pad_t, pad_b = 300, 170, 34, 92, 24, 26
    days = sorted(scorecard["score_day"].unique().to_list())
    frame = scorecard.select("source_code", "score_day", principle.column)
    low = min(60.0, float(frame[principle.column].min() or 60.0))
    low = max(0.0, (low // 10) * 10)

    def xy(day_index: int, value: float) -> tuple[float, float]:
        span = max(len(days) - 1, 1)
        x = pad_l + (w - pad_l - pad_r) * (day_index / span if len(days) > 1 else 0.5)
        y = pad_t + (h - pad_t - pad_b) * (1 - (value - low) / (100 - low))
        return round(x, 1), round(y, 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif">']
    out.append(
        f'<text x="4" y="15" font-size="13" font-weight="bold">{principle.name_vi}'
        f'<tspan font-weight="normal" fill="#555"> · {principle.name_en}</tspan></text>'
    )
    for value in (low, (low + 100) / 2, 100):
        _, y = xy(0, value)
        out.append(f'<line x1="{pad_l}" x2="{w - pad_r}" y1="{y}" y2="{y}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{pad_l - 4}" y="{y + 4}" text-anchor="end" font-size="10" fill="#777">{value:g}</text>')
    for idx, day in enumerate(days):
        x, _ = xy(idx, low)
        if len(days) <= 8 or idx in (0, len(days) - 1):
            out.append(f'<text x="{x}" y="{h - 8}" text-anchor="middle" font-size="10" fill="#777">{day:%d/%m}</text>')
    day_index = {d: i for i, d in enumerate(days)}
    latest = frame.filter(pl.col("score_day") == days[-1]).sort(principle.column)
    # the weakest sources, in red: only those below a perfect score (a tie at 100 is nobody's problem)
    weakest = set(latest.filter(pl.col(principle.column) < 99.95)["source_code"].head(worst).to_list())
    labels: list[tuple[float, float, str]] = []
    for code, group in frame.sort("score_day").group_by("source_code", maintain_order=True):
        code = code[0]
        pairs = zip(group["score_day"], group[principle.column], strict=True)
        pts = [xy(day_index[d], v) for d, v in pairs if v is not None]
        if not pts:
            continue
        colour, width = ("#c0392b", 1.6) if code in weakest else ("#9fb3c8", 1)
        path = " ".join(f"{x},{y}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"/>')
        if len(pts) == 1:
            out.append(f'<circle cx="{pts[0][0]}" cy="{pts[0][1]}" r="2.5" fill="{colour}"/>')
        if code in weakest:
            labels.append((pts[-1][0], pts[-1][1], code))
    last_y = -100.0
    for x, y, code in sorted(labels, key=lambda label: label[1]):  # top to bottom, never overlapping
        y = max(y + 4, last_y + 11)
        last_y = y
        out.append(f'<text x="{x + 5}" y="{y}" font-size="10" fill="#c0392b">{code}</text>')
    mean = frame.group_by("score_day").agg(pl.col(principle.column).mean()).sort("score_day")
    pts = [xy(day_index[d], v) for d, v in zip(mean["score_day"], mean[principle.column], strict=True)]
    out.append(
        f'<polyline points="{" ".join(f"{x},{y}" for x, y in pts)}" fill="none" stroke="#1f3b57" stroke-width="2.6"/>'
    )
    x, y = pts[-1]
    out.append(
        f'<text x="{x + 5}" y="{y - 6}" font-size="11" font-weight="bold" fill="#1f3b57">'
        f"mean {mean[principle.column][-1]:.1f}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


_STYLE = """
body { font-family: sans-serif; margin: 24px; color: #111; max-width: 1200px; }
h1 { font-size: 22px; margin-bottom: 4px; } .sub { color: #555; margin-top: 0; }
.kpis { display: flex; gap: 16px; margin: 16px 0; }
.kpi { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; }
.kpi b { display: block; font-size: 22px; } .trends { display: flex; flex-wrap: wrap; gap: 8px; }
table.f { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
table.f td { padding: 3px 10px; border-bottom: 1px solid #eee; }
"""


def html_report(scorecard: pl.DataFrame, title: str = "National data platform · quality scorecard") -> str:
    """A self-contained page: headline numbers, today's heatmap, a trend per principle, the formulas."""
    latest = latest_day(scorecard)
    days = sorted(scorecard["score_day"].unique().to_list())
    means = {p.column: latest[p.column].mean() for p in PRINCIPLES}
    weakest_principle = min(PRINCIPLES, key=lambda p: means[p.column])
    weakest_source = latest.sort(OVERALL).row(0, named=True)
    poor_cells = sum(int((latest[p.column] < FAIR).sum()) for p in PRINCIPLES)
    kpis = [
        ("overall, all sources", f"{latest[OVERALL].mean():.1f}"),
        ("weakest principle", f"{weakest_principle.name_vi} {means[weakest_principle.column]:.1f}"),
        ("weakest source", f"{weakest_source['source_code']} {weakest_source[OVERALL]:.1f}"),
        ("scores below 80", f"{poor_cells} of {latest.height * len(PRINCIPLES)}"),
    ]
    formulas = "".join(
        f"<tr><td><b>{p.name_vi}</b> ({p.name_en})</td><td>100 × {html.escape(p.formula)}</td></tr>" for p in PRINCIPLES
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p class="sub">Extract day <b>{days[-1]}</b> · {latest.height} sources · {len(days)} simulated day(s) from {days[0]} ·
cells: green ≥ {GOOD:g}, amber ≥ {FAIR:g}, red below</p>
<div class="kpis">{"".join(f'<div class="kpi">{k}<b>{v}</b></div>' for k, v in kpis)}</div>
<h2>Today, source × principle</h2>
{heatmap_svg(latest)}
<h2>Trend over the simulated days</h2>
<p class="sub">Bold: mean of all sources. Red: the three weakest sources on the latest day. Grey: the others.</p>
<div class="trends">{"".join(trend_svg(scorecard, p) for p in PRINCIPLES)}</div>
<h2>How each score is computed (0–100)</h2>
<table class="f">{formulas}</table>
<p class="sub">Source: marts.quality_scorecard (documented in dbt_project/models/marts/quality/quality_scorecard.yml
and docs/quality.md).</p>
</body></html>
"""
