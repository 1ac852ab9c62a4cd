"""The similarity section of the batch HTML page (grader/report/html.py):
per challenge the ranked pairs, then for each pair at or above the
threshold both sides' code side by side with the matching lines marked.

Everything from a submission (names, file names, code) is escaped with
``html.escape``; the section adds CSS only, no script and nothing loaded.
Matching lines are marked by a background colour and by a bar in the
margin, so they read without colour too. Code shown is bounded: the
matching lines with a few lines around them, at most ``MAX_LINES`` per side;
so is the table, at ``MAX_ROWS`` pairs a challenge (similarity.json has them all).
"""

from __future__ import annotations

import html

from grader.similarity.render import lines
from grader.similarity.report import SimilarityReport

MAX_PAIRS_SHOWN = 25        # side-by-side views per challenge
MAX_ROWS = 200              # pairs listed per challenge (a batch of a small problem can pair thousands)
MAX_LINES = 400             # code lines per side of one view
CONTEXT = 2                 # lines shown around each matching fragment

STYLE = """
.sbs { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; margin: .5rem 0 1.5rem; }
.sbs > div { min-width: 0; }
.code { background: #f6f8fa; padding: .4rem 0; margin: .2rem 0; font-size: .8rem; overflow-x: auto;
        white-space: pre; max-height: 36rem; }
.code span { display: block; padding: 0 .5rem; border-left: 4px solid transparent; }
.code span.hit { background: #fff1a8; border-left-color: #9a6700; }
.code span.gap { color: #59636e; font-style: italic; }
.code b { display: inline-block; min-width: 3.2em; color: #59636e; font-weight: normal; user-select: none; }
"""


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _code(files: dict | None, ranges: tuple) -> str:
    """One side: each file that has a match, its matching lines marked, with CONTEXT lines around them."""
    if not files:
        return '<p class="muted">(code not available)</p>'
    out, budget = [], MAX_LINES
    for file in dict.fromkeys(item[0] for item in ranges):
        # Lines as tokens.py numbers them, as the parser does: at "\r\n", "\r" and "\n" only (splitlines also
        # splits at \x0c, \u2028, which a file can hold in a comment to move every mark off the line it matched).
        text_lines = files.get(file, "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        hit = set()
        for name, first, last in ranges:
            if name == file:
                hit.update(range(first, last + 1))
        shown = sorted({line for number in hit for line in range(number - CONTEXT, number + CONTEXT + 1)
                        if 1 <= line <= len(text_lines)})
        rows, previous = [], 0
        for number in shown:
            if budget <= 0:
                rows.append('<span class="gap">... (cut: more lines than this page shows)</span>')
                break
            if number > previous + 1:
                rows.append(f'<span class="gap">... lines {previous + 1}-{number - 1}</span>')
            mark = ' class="hit"' if number in hit else ""
            rows.append(f"<span{mark}><b>{number}</b>{_e(text_lines[number - 1])}</span>")
            previous, budget = number, budget - 1
        out.append(f'<div class="muted">{_e(file)}</div><pre class="code">{"".join(rows)}</pre>')
    return "\n".join(out)


def section(report: SimilarityReport) -> str:
    """The section's HTML (headed "Similarity", anchor ``similarity``)."""
    parts = ['<h2 id="similarity">Similarity</h2>',
             f'<p class="muted">For the assessor only. Score: the share of the smaller submission\'s fingerprints '
             f'(k={report.k} tokens, window {report.window}) the other has too, after taking away the stub. Pairs '
             f'at or above {report.threshold:g} are shown side by side, matching lines marked.</p>']
    for item in report.challenges:
        result = item.result
        parts.append(f"<h3>{_e(item.challenge)}: {result.submissions} submission(s), "
                     f"{len(item.known)} known solution(s)</h3>")
        if not result.pairs:
            parts.append('<p>No two submissions share code beyond the stub.</p>')
        else:
            rows = []
            for rank, pair in enumerate(result.pairs[:MAX_ROWS], 1):
                flagged = pair.score >= report.threshold
                badge = '<span class="badge bad">likely copy</span> ' if flagged else ""
                target = f'<a href="#sim-{_e(item.challenge)}-{rank}">{rank}</a>' if flagged and rank <= MAX_PAIRS_SHOWN else str(rank)
                rows.append(f"<tr><td class=\"num\">{target}</td><td class=\"num nowrap\">{badge}{pair.score:.2f}</td>"
                            f"<td>{_e(pair.a)}</td><td>{_e(pair.b)}{' (known)' if pair.b_known else ''}</td>"
                            f"<td class=\"num\">{pair.longest_tokens}</td><td>{_e(lines(pair.ranges_a))}</td>"
                            f"<td>{_e(lines(pair.ranges_b))}</td></tr>")
            parts.append("<table>\n<thead><tr><th>#</th><th>score</th><th>submission</th><th>shares code with</th>"
                         "<th>longest (tokens)</th><th>its lines</th><th>their lines</th></tr></thead>\n<tbody>\n"
                         + "\n".join(rows) + "\n</tbody>\n</table>")
            if len(result.pairs) > MAX_ROWS:
                parts.append(f'<p class="muted">... {len(result.pairs) - MAX_ROWS} more pair(s), all in '
                             f'similarity.json (or grader similarity --format json or csv).</p>')
        for number, cluster in enumerate(result.clusters, 1):
            parts.append(f"<p>Cluster {number}: {_e(', '.join(cluster))}</p>")
        for name, why in item.skipped:
            parts.append(f'<p class="muted">Not compared: {_e(name)}: {_e(why)}</p>')
        for rank, pair in enumerate(result.pairs[:MAX_PAIRS_SHOWN], 1):
            if pair.score < report.threshold:
                break
            parts.append(f'<h4 id="sim-{_e(item.challenge)}-{rank}">#{rank}: {_e(pair.a)} and {_e(pair.b)} '
                         f"({pair.score:.2f})</h4>")
            parts.append('<div class="sbs"><div>' + f"<div><strong>{_e(pair.a)}</strong></div>"
                         + _code(item.sources.get(pair.a), pair.ranges_a) + "</div><div>"
                         + f"<div><strong>{_e(pair.b)}</strong></div>" + _code(item.sources.get(pair.b), pair.ranges_b)
                         + "</div></div>")
    return "\n".join(parts)
