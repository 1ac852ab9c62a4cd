"""A self-contained HTML report of a batch: ``report.html`` from
[(label, report dict)].

One file that loads nothing: inline CSS, no script, no font, image or
stylesheet from anywhere, charts as inline SVG. Every text from a report
(labels, messages, counterexamples, printed output) is escaped with
``html.escape``: submissions write what they like there. Verdicts are words,
not only colours, and the charts tell their two lines apart by dash and
marker shape as well as colour.

Layout: a summary table (submission, challenge, verdict, score, tests passed,
complexity verdicts) linking to a section per submission with its hidden
tests (status, message, counterexample), bonus tests, rule findings and, per
complexity check, a log-log chart of yours against the reference with the
numbers in a table beneath.
"""

from __future__ import annotations

import html
import math

Items = list  # [(label, report dict)]

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1f2328; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word;
      margin: .3rem 0; max-height: 24rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: .3rem; font-weight: 600; font-size: .85rem;
         border: 1px solid currentColor; }
.good { color: #116329; background: #dafbe1; }
.bad { color: #a40e26; background: #ffebe9; }
.warn { color: #7d4e00; background: #fff8c5; }
.muted { color: #59636e; font-size: .9rem; }
.note { display: block; max-width: 18rem; }
.nowrap { white-space: nowrap; }
.chart { display: block; margin: .5rem 0; }
figure { margin: 0; }
"""

GOOD = {"pass", "meets"}
WARN = {"inconclusive", "timeout", "error"}

# Chart geometry (SVG user units) and the two series' looks.
WIDTH, HEIGHT = 520, 250
LEFT, RIGHT, TOP, BOTTOM = 84, 120, 12, 44       # the legend sits in the right margin
SERIES = (("yours", "candidate", "#c2410c", "", "circle"),
          ("reference", "reference", "#1d4ed8", "6 4", "square"))


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _badge(word: str) -> str:
    tone = "good" if word in GOOD else "warn" if word in WARN else "bad"
    return f'<span class="badge {tone}">{_e(word)}</span>'


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else _e(value)


def _anchor(index: int) -> str:
    return f"submission-{index}"


def to_html(items: Items, similarity=None) -> str:
    """The whole page; with ``similarity`` (a grader.similarity SimilarityReport), its section at the end."""
    passing = sum(1 for _, report in items if report["verdict"] == "pass")
    body = ["<h1>Grader report</h1>",
            f"<p>{passing} of {len(items)} submission(s) pass.</p>",
            _summary_table(items)]
    style = STYLE
    if similarity is not None:
        from grader.similarity import html as similarity_html
        body.insert(2, '<p><a href="#similarity">Similarity between submissions</a></p>')
        style += similarity_html.STYLE
    body += [_section(index, label, report) for index, (label, report) in enumerate(items, start=1)]
    if similarity is not None:
        body.append(similarity_html.section(similarity))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Grader report</title>\n<style>" + style + "</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


SUMMARY_REASON_CHARS = 120     # an error's reason in the summary row; the section has it whole


def _tests_passed(report: dict) -> str:
    correctness = report["correctness"]
    if report.get("feedback") == "none":
        return "-"
    if report["verdict"] == "error" and not correctness["tests"]:
        return '<span class="muted">not run</span>'     # not "0/0": nothing could be run
    return f"{correctness['passed']}/{correctness['passed'] + correctness['failed']}"


def _verdict_cell(report: dict) -> str:
    """The verdict, and what a reader of the summary must know beside it:
    why an error could not be graded, and that a rule breach scores 0."""
    note = ""
    if report["verdict"] == "error" and report.get("message") and report.get("feedback") != "none":
        reason = report["message"]
        if len(reason) > SUMMARY_REASON_CHARS:
            reason = reason[:SUMMARY_REASON_CHARS - 1].rstrip() + "…"
        note = _e(reason)
    elif report["rules"]:
        count = len(report["rules"])
        note = f"breaks the challenge's rules ({count} finding{'s' if count > 1 else ''}), so it scores 0"
    return _badge(report["verdict"]) + (f'<span class="muted note">{note}</span>' if note else "")


def _summary_table(items: Items) -> str:
    rows = []
    for index, (label, report) in enumerate(items, start=1):
        complexity = ", ".join(f'<span class="nowrap">{_e(c["operation"])}: {_badge(c["verdict"])}</span>'
                               for c in report["complexity"]) or "-"
        rows.append(f'<tr><td><a href="#{_anchor(index)}">{_e(label)}</a></td><td>{_e(report["challenge"])}</td>'
                    f'<td>{_verdict_cell(report)}</td>'
                    f'<td class="num">{_number(report["score"])}/{_number(report["max_score"])}</td>'
                    f'<td class="num">{_tests_passed(report)}</td><td>{complexity}</td></tr>')
    return ("<table>\n<thead><tr><th>submission</th><th>challenge</th><th>verdict</th><th class=\"num\">score</th>"
            "<th class=\"num nowrap\">tests passed</th><th>complexity</th></tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>")


def _section(index: int, label: str, report: dict) -> str:
    parts = [f'<section id="{_anchor(index)}">',
             f"<h2>{_e(label)}</h2>",
             f"<p>{_e(report['challenge'])}: {_badge(report['verdict'])} score "
             f"{_number(report['score'])}/{_number(report['max_score'])}</p>"]
    if report.get("message"):
        parts.append(f"<p>{_e(report['message'])}</p>")
    if report.get("feedback") in ("summary", "none"):
        parts.append(f'<p class="muted">Feedback level {_e(report["feedback"])}: the details are withheld '
                     "from this report.</p>")
    limits = report.get("limits", {})
    hit = [text for key, text in (("timed_out", "time limit exceeded"), ("memory_exceeded", "memory limit exceeded"))
           if limits.get(key)]
    if hit:
        parts.append(f'<p>{_badge("limits")} {_e(", ".join(hit))}</p>')
    parts.append(_tests_table("Hidden tests", report["correctness"]["tests"]))
    parts.append(_tests_table("Bonus tests", report.get("bonus", {}).get("tests", [])))
    parts.append(_rules_table(report["rules"]))
    parts += [_complexity(check) for check in report["complexity"]]
    if (report.get("output") or "").strip():
        parts.append(f"<details><summary>What the code printed</summary><pre>{_e(report['output'])}</pre></details>")
    parts.append(f'<p class="muted">sandbox: {_e(report.get("sandbox", ""))}, seed: {_e(report.get("seed", ""))}, '
                 f'submission sha256: {_e(report.get("submission_sha256", "") or "-")}, '
                 f'grader {_e(report.get("grader_version", "") or "-")}</p>')
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _tests_table(title: str, tests: list) -> str:
    if not tests:
        return ""
    rows = []
    for test in tests:
        detail = _e(test.get("message", ""))
        if test.get("counterexample"):
            detail += f"<pre>{_e(test['counterexample'])}</pre>"
        name = _e(test["name"])
        if test.get("description"):
            name += f'<br><span class="muted">{_e(test["description"])}</span>'
        rows.append(f"<tr><td>{name}</td><td>{_badge(test['status'])}</td><td>{detail}</td></tr>")
    return (f"<h3>{_e(title)}</h3>\n<table>\n<thead><tr><th>test</th><th>status</th><th>message and counterexample</th>"
            "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


def _rules_table(rules: list) -> str:
    if not rules:
        return ""
    rows = [f'<tr><td>{_e(r["file"])}</td><td class="num">{_e(r["line"])}</td><td>{_e(r["rule"])}</td>'
            f'<td>{_e(r["detail"])}</td></tr>' for r in rules]
    return ("<h3>Rule findings</h3>\n<table>\n<thead><tr><th>file</th><th class=\"num\">line</th><th>rule</th>"
            "<th>detail</th></tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


# --- complexity ------------------------------------------------------------------------------------

def _unit(check: dict) -> str:
    return "bytes" if check.get("kind") == "space" or "candidate_bytes" in check else "seconds"


def _amount(value, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "bytes":
        return f"{value / 1024:,.1f} KiB"
    return f"{value * 1000:,.3f} ms"


def _stopped(check: dict) -> tuple | None:
    """(size, cap in seconds, "run" or "setup") where the cap stopped the
    candidate's measurement, or None."""
    size, cap, stage = check.get("stopped_at"), check.get("cap_seconds"), check.get("stopped_in")
    if not isinstance(size, (int, float)) or not isinstance(cap, (int, float)) or stage not in ("run", "setup"):
        return None
    return size, cap, stage


def _stopped_sentence(check: dict, stopped: tuple) -> str:
    size, cap, stage = stopped
    what = "setting up the inputs (your code)" if stage == "setup" else "yours"
    return f"<p>{_e(what)}: stopped at the {cap:g} s cap at {_e(check.get('axis') or 'n')}={size:,}, over the bound.</p>"


def _complexity(check: dict) -> str:
    unit = _unit(check)
    sizes = list(check.get("sizes") or [])
    series = {key: list(check.get(f"{key}_{unit}") or []) for _, key, *_ in SERIES}
    ratios = list(check.get("ratios") or [])
    slope = check.get("relative_slope")
    stopped = _stopped(check)
    heading = (f"<h3>complexity: {_e(check['operation'])} {_badge(check['verdict'])}</h3>\n"
               f"<p>expected {_e(check['expected'])}, looks {_e(check['measured'])}"
               + (f", relative slope {slope:+.2f}" if isinstance(slope, (int, float)) else "")
               + (f"; {_e(check['reason'])}" if check.get("reason") else "") + "</p>"
               + ("\n" + _stopped_sentence(check, stopped) if stopped else ""))
    chart = _chart(check["operation"], sizes, series, unit, check.get("axis") or "n", stopped)
    if not sizes:
        return heading + "\n<p class=\"muted\">No measurements in the report.</p>"
    rows = []
    for i, size in enumerate(sizes):
        mine = series["candidate"][i] if i < len(series["candidate"]) else None
        theirs = series["reference"][i] if i < len(series["reference"]) else None
        ratio = ratios[i] if i < len(ratios) else None
        mine_cell, ratio_cell = _amount(mine, unit), "-" if ratio is None else f"{ratio:.2f}x"
        if stopped and stopped[0] == size:
            mine_cell, ratio_cell = _capped_cells(mine, theirs, ratio_cell, stopped, unit)
        rows.append(f'<tr><td class="num">{_e(f"{size:,}" if isinstance(size, int) else size)}</td>'
                    f'<td class="num">{mine_cell}</td><td class="num">{_amount(theirs, unit)}</td>'
                    f'<td class="num">{ratio_cell}</td></tr>')
    table = (f"<table>\n<thead><tr><th class=\"num\">{_e(check.get('axis') or 'n')}</th><th class=\"num\">yours</th>"
             "<th class=\"num\">reference</th><th class=\"num\">ratio</th></tr></thead>\n<tbody>\n"
             + "\n".join(rows) + "\n</tbody>\n</table>")
    return "\n".join(part for part in (heading, chart, table) if part)


def _capped_cells(mine, theirs, ratio_cell: str, stopped: tuple, unit: str) -> tuple[str, str]:
    """"yours" and "ratio" at the size where the cap stopped the measurement:
    over the cap, so over cap / reference, unless an earlier run there was
    measured (then that, and the cap)."""
    _, cap, stage = stopped
    over = f"{'setup ' if stage == 'setup' else ''}over {_amount(cap, unit)} (cap)"
    if mine is not None:
        return f"{_amount(mine, unit)}, then {over}", ratio_cell
    if stage == "run" and isinstance(theirs, (int, float)) and theirs > 0:
        ratio_cell = f"over {cap / theirs:.2f}x"
    return over, ratio_cell


def _positive(values: list, sizes: list) -> list[tuple[float, float]]:
    """(size, value) pairs a log scale can show."""
    return [(float(n), float(v)) for n, v in zip(sizes, values)
            if isinstance(n, (int, float)) and isinstance(v, (int, float)) and n > 0 and v > 0
            and math.isfinite(v)]


def _log_range(values: list[float]) -> tuple[float, float]:
    """log10 bounds around ``values``: at least a decade wide, padded so no
    point sits on the frame."""
    low, high = math.log10(min(values)), math.log10(max(values))
    if high - low < 1:
        middle = (low + high) / 2
        low, high = middle - 0.5, middle + 0.5
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _ticks(low: float, high: float) -> list[float]:
    """Tick values inside [10**low, 10**high]: decades, and 2 and 5 times
    them when the range spans under two decades."""
    steps = (1, 2, 5) if high - low < 2 else (1,)
    return [step * 10.0 ** exponent for exponent in range(math.floor(low), math.ceil(high) + 1) for step in steps
            if low <= math.log10(step * 10.0 ** exponent) <= high]


def _tick_label(value: float, unit: str) -> str:
    scales = {"seconds": ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")),
              "bytes": ((1e9, "GB"), (1e6, "MB"), (1e3, "kB"), (1.0, "B"))}.get(unit)
    if scales:
        for scale, name in scales:
            if value >= scale * 0.999 or scale == scales[-1][0]:
                return f"{value / scale:.3g} {name}"
    return f"{value:,.0f}" if value >= 1 else f"{value:.3g}"


def _chart(operation: str, sizes: list, series: dict, unit: str, axis: str, stopped: tuple | None = None) -> str:
    """Log-log SVG: yours and the reference's measurements against n, or ""
    when nothing positive was measured. A run stopped at the cap is an open
    marker at the cap with a tick up: yours is somewhere above it."""
    points = {key: _positive(series[key], sizes) for _, key, *_ in SERIES}
    capped = _positive([stopped[1]], [stopped[0]]) if stopped and stopped[2] == "run" and unit == "seconds" else []
    every = [p for pts in points.values() for p in pts] + [(x, y * 2) for x, y in capped]   # room for the tick
    if not every:
        return ""
    (x_low, x_high), (y_low, y_high) = _log_range([x for x, _ in every]), _log_range([y for _, y in every])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (math.log10(x) - x_low) / (x_high - x_low) * plot_w

    def py(y: float) -> float:
        return TOP + plot_h - (math.log10(y) - y_low) / (y_high - y_low) * plot_h

    title = f"{operation}: {'time' if unit == 'seconds' else 'memory'} against {axis}, log-log"
    out = [f'<figure><svg class="chart" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>']
    out += _axes(_ticks(x_low, x_high), _ticks(y_low, y_high), unit, axis, px, py)
    out += [_series(points[key], color, dash, marker, px, py) for _, key, color, dash, marker in SERIES if points[key]]
    for x, y in capped:
        out.append(_over_cap(px(x), py(y), SERIES[0][2]))
    out += _legend({key for key, pts in points.items() if pts}, stopped)
    out.append("</svg></figure>")
    return "\n".join(out)


def _axes(x_ticks, y_ticks, unit, axis, px, py) -> list[str]:
    """Frame, grid lines, tick labels (with units) and the axis names."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    out = [f'<rect x="{LEFT}" y="{TOP}" width="{right - LEFT}" height="{bottom - TOP}" fill="none" '
           'stroke="#8c959f"/>']
    for value in x_ticks:
        x = px(value)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#eaeef2"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">'
                   f'{_e(_tick_label(value, "count"))}</text>')
    for value in y_ticks:
        y = py(value)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#eaeef2"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
                   f'{_e(_tick_label(value, unit))}</text>')
    out.append(f'<text x="{(LEFT + right) / 2:.1f}" y="{HEIGHT - 6}" font-size="12" text-anchor="middle">'
               f'{_e(axis)} (log scale)</text>')
    out.append(f'<text x="14" y="{(TOP + bottom) / 2:.1f}" font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 14 {(TOP + bottom) / 2:.1f})">'
               f'{"time" if unit == "seconds" else "memory"} (log scale)</text>')
    return out


def _series(points, color, dash, marker, px, py) -> str:
    coords = [(px(x), py(y)) for x, y in points]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    out = []
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash_attr}/>')
    out += [_marker(marker, x, y, color) for x, y in coords]
    return "\n".join(out)


def _marker(shape: str, x: float, y: float, color: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{color}"/>'


def _over_cap(x: float, y: float, color: str) -> str:
    return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#fff" stroke="{color}" stroke-width="2"/>'
            f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x:.1f}" y2="{y - 13:.1f}" stroke="{color}" stroke-width="2"/>')


def _legend(drawn: set, stopped: tuple | None = None) -> list[str]:
    """In the right margin, outside the plot: a line sample, marker and name
    per series; under yours, what the cap did, or "(not measured)" when a
    series has nothing to draw."""
    left = WIDTH - RIGHT + 14
    out = []
    for row, (name, key, color, dash, marker) in enumerate(SERIES):
        y = TOP + 14 + row * 34
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + 30}" y2="{y}" stroke="{color}" '
                   f'stroke-width="2"{dash_attr}/>')
        out.append(_marker(marker, left + 15, y, color))
        out.append(f'<text x="{left + 36}" y="{y + 4}" font-size="12">{_e(name)}</text>')
        note = "(not measured)" if key not in drawn else ""
        if key == "candidate" and stopped:     # the cap stopped it: say which (a run's has its own row)
            note = "(setup over cap)" if stopped[2] == "setup" else ""
        if note:
            out.append(f'<text x="{left}" y="{y + 20}" font-size="11">{note}</text>')
    if stopped and stopped[2] == "run":
        y = TOP + 14 + len(SERIES) * 34
        out.append(_over_cap(left + 6, y, SERIES[0][2]))
        out.append(f'<text x="{left + 16}" y="{y + 4}" font-size="12">over the cap</text>')
    return out
