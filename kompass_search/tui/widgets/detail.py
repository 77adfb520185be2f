"""The detail pane: one evaluation's area bars beside the corpus medians, the area in question, the source."""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterable
from typing import Any

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...citation import Origin, source_line
from ...models import Evaluation, Hit
from ...render.hits import numbers, words
from ...render.text import bar, fmt
from ...search.trend import Trend, trend
from ...taxonomy import TemplateError, get_template, label_section, theme_name
from .trend import trend_section

KIND_MARK = {"strength": "+", "improvement": "−", "summary": "¶"}
MEDIAN_MARK = "┃"


def median_bar(score: float | None, median: float | None, width: int) -> Content:
    """A score bar (eighths of a cell) with the corpus median drawn as a tick across it."""
    cells = bar(score, 100, width) if score is not None else "·" * width
    out = Content.styled(cells, "$primary" if score is not None else "$text-muted")
    if median is None or width < 2:
        return out
    at = min(width - 1, max(0, round(median / 100 * width) - 1))
    return out[:at] + Content.styled(MEDIAN_MARK, "bold $text-warning") + out[at + 1 :]


def ui(language: str) -> dict[str, str]:
    """The terminal UI's words in ``language`` (templates/labels.yaml ``ui``; English if none)."""
    return label_section(language, "ui", fallback="en")


def _share(score: float | None, maximum: float) -> float | None:
    return None if score is None or not maximum else 100.0 * score / maximum


def _tool(ev: Evaluation) -> str:
    try:
        return get_template(ev.template).tool
    except TemplateError:
        return ev.template


def _lines(parts: Iterable[Content | str]) -> Content:
    return Content("\n").join(parts)


def item(mark: str, mark_style: str, text: str, width: int, style: str = "") -> list[Content | str]:
    """A bullet with a hanging indent: ' + first line' then '   rest' under the text."""
    lines = textwrap.wrap(text, max(10, width - 3)) or [""]
    out: list[Content | str] = [Content.assemble((f" {mark} ", mark_style), (lines[0], style))]
    out += [Content.assemble("   ", (line, style)) for line in lines[1:]]
    return out


def detail_content(
    ev: Evaluation,
    medians: dict[str, float],
    width: int,
    area_number: int | None = None,
    hit: Hit | None = None,
    history: Trend | None = None,
    lang: str | None = None,
) -> Content:
    """Everything the pane shows for ``ev``, laid out for ``width`` cells (``history``: the
    municipality's evaluations over the years, shown below the source when there are several),
    labelled in ``lang`` (default: the evaluation's language)."""
    t = ui(lang or ev.language)
    width = max(width, 20)  # the pane's own width: a wider layout would wrap every bar row
    out: list[Content | str] = [
        Content.assemble(
            (ev.municipality, "bold $text-accent"),
            f" {ev.year} · {ev.country} · {_tool(ev)} ({ev.template})",
        ),
    ]
    max_total = 100 * (len(ev.areas) or 8)
    out.append(
        Content.assemble(f"{t['total']} ", (fmt(ev.total), "bold"), f" {t['of']} {max_total}")
    )
    if ev.evaluators:
        out.append(Content.styled(f"{t['evaluators']}: " + "; ".join(ev.evaluators), "$text-muted"))
    if ev.score_only:
        out.append(Content.styled(t["score_only"], "bold $text-warning"))
    out.append("")
    out += _area_bars(ev, medians, width, area_number, t)
    area = ev.area(area_number) if area_number is not None else None
    if area is not None:
        out += _area_section(ev, area.number, hit, width, lang or ev.language)
    source = source_line(Origin.of(ev), lang)
    out += ["", Content.assemble((f"{t['source']}: ", "bold"), source)]
    if ev.source.file:
        out.append(Content.styled(f"{t['file']}: {ev.source.file}", "$text-muted"))
    if ev.source.url and ev.source.kind != "published":
        out.append(Content.styled(f"URL: {ev.source.url}", "$text-muted"))
    if history is not None:
        out += trend_section(history, width, t)
    return _lines(out)


def _short_name(ev: Evaluation, theme: str, name: str, width: int) -> str:
    """The area's own name when it fits, else its theme's name in the evaluation's language."""
    if len(name) > width:
        with contextlib.suppress(TemplateError):
            name = theme_name(theme, ev.language)
    return name if len(name) <= width else name[: width - 1] + "…"


def _area_bars(
    ev: Evaluation, medians: dict[str, float], width: int, focus: int | None, t: dict[str, str]
) -> list[Content | str]:
    if not ev.areas:
        return [Content.styled(t["total_only"], "$text-muted")]
    # a row: "N name score bar[ median]" in exactly the width, so no row wraps in a narrow pane
    wide = width >= 60
    bar_w = max(10, min(30, width // 3)) if wide else max(4, min(10, width - 15))
    name_w = max(4, width - bar_w - (11 if wide else 7))
    name_w = min(name_w, max(len(a.name) for a in ev.areas))
    legend = f" {t['corpus_median']}" if wide else f" {t['median']}" if name_w + 16 <= width else ""
    out: list[Content | str] = [
        Content.assemble(
            (f"{t['areas']:<{name_w + 2}}", "bold"),
            (f"{t['score']} ", "$text-muted"),
            (MEDIAN_MARK if legend else "", "bold $text-warning"),
            (legend, "$text-muted"),
        )
    ]
    for a in ev.areas:
        share = _share(a.score, a.max)
        median = medians.get(a.theme)
        name = _short_name(ev, a.theme, a.name, name_w)
        style = "bold $text-accent" if a.number == focus else ""
        row: list[Any] = [
            (f"{a.number} {name:<{name_w}} ", style),
            (f"{fmt(a.score):>3} ", "bold" if a.number == focus else ""),
            median_bar(share, median, bar_w),
        ]
        if wide:
            row.append((f" {median:3.0f}" if median is not None else "", "$text-muted"))
        out.append(Content.assemble(*row))
    return out


def _area_section(
    ev: Evaluation, number: int, hit: Hit | None, width: int, lang: str
) -> list[Content | str]:
    t = ui(lang)
    area = ev.area(number)
    assert area is not None
    score = f" {fmt(area.score)}/{fmt(area.max)} "
    name = _short_name(ev, area.theme, area.name, width - len(score) - 6)
    rule = f"── {area.number} {name}{score}"
    out: list[Content | str] = [
        "",
        Content.styled(rule + "─" * max(0, width - len(rule)), "bold $text-accent"),
    ]
    if hit is not None and hit.passage.evaluation == ev.key and hit.passage.area_number == number:
        out += _selected(hit, width, lang)
    subs = ev.subquestions_of(number)
    linked = (
        hit.passage.subquestion if hit is not None and hit.passage.evaluation == ev.key else None
    )
    if subs:
        out.append(Content.styled(t["subquestions"], "bold"))
        title_w = max(10, width - 16)
        for s in subs:
            title = s.title if len(s.title) <= title_w else s.title[: title_w - 1] + "…"
            pct = f"{s.percent} %" if s.percent is not None else f"{s.share:.0f} %"
            style = "bold $text-accent" if s.id == linked else ""
            out.append(
                Content.assemble(
                    (f"{s.id:<4} {title:<{title_w}} ", style),
                    (f"{fmt(s.achieved):>2}/{fmt(s.max):<2} {pct:>5}", style or "$text-muted"),
                )
            )
    elif not ev.score_only:
        out.append(Content.styled(t["no_subquestions"], "$text-muted"))
    chosen = hit.passage.text if hit is not None and hit.passage.evaluation == ev.key else None
    for label, kind, texts in (
        (t["strengths"], "strength", area.strengths),
        (t["improvements"], "improvement", area.improvements),
    ):
        if texts:
            out.append(Content.styled(label, "bold"))
            for text in texts:
                style = "bold $text-accent" if " ".join(text.split()) == chosen else ""
                out += item(
                    KIND_MARK[kind],
                    "$text-success" if kind == "strength" else "$text-error",
                    text,
                    width,
                    style,
                )
    if not area.has_text and not ev.score_only:
        out.append(Content.styled(t["no_text"], "$text-muted"))
    return out


def _selected(hit: Hit, width: int, lang: str) -> list[Content | str]:
    p = hit.passage
    t, w = ui(lang), words(lang)
    star = "★ " if p.gold_star else ""
    out: list[Content | str] = [
        Content.styled(t["selected"] + (f" ({w['weak']})" if hit.weak else ""), "bold"),
        *item(KIND_MARK.get(p.kind, "·"), "$text-success", star + p.text, width, "italic"),
    ]
    if p.context and p.context != p.text:
        out += item(" ", "", f"{t['context']}: {p.context}", width, "$text-muted")
    return [
        *out,
        *item(" ", "", numbers(hit, lang, detail=True), width, "$text-muted"),
        *item(" ", "", hit.citation, width, "$text-muted"),
    ]


class DetailPane(VerticalScroll):
    """Shows one evaluation; the app calls ``show`` when the selection changes."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.evaluation: Evaluation | None = None
        self.area_number: int | None = None
        self.hit: Hit | None = None
        self.medians: dict[str, float] = {}
        self.corpus: list[Evaluation] = []  # for the evaluation's history (trend)
        self.lang: str | None = None  # of labels (None: each evaluation's own language)

    def compose(self) -> Any:
        yield Static(
            Content.styled("Select a result to see its evaluation here.", "$text-muted"),
            id="detail-body",
        )

    def show(
        self, ev: Evaluation | None, area_number: int | None = None, hit: Hit | None = None
    ) -> None:
        changed = ev is not self.evaluation
        self.evaluation, self.area_number, self.hit = ev, area_number, hit
        self._redraw()
        if changed:
            self.scroll_home(animate=False)

    def step_area(self, delta: int) -> None:
        """Show the next or previous area's section."""
        ev = self.evaluation
        if ev is None or not ev.areas:
            return
        numbers = [a.number for a in ev.areas]
        i = (
            numbers.index(self.area_number)
            if self.area_number in numbers
            else (-1 if delta > 0 else 0)
        )
        self.area_number = numbers[(i + delta) % len(numbers)]
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        body = self.query_one("#detail-body", Static)
        if self.evaluation is None:
            body.update(Content.styled(ui(self.lang or "en")["empty"], "$text-muted"))
            return
        width = self.scrollable_content_region.width or self.size.width or 40
        history = trend(self.corpus, self.evaluation.municipality) if self.corpus else None
        body.update(
            detail_content(
                self.evaluation,
                self.medians,
                width - 1,
                self.area_number,
                self.hit,
                history,
                self.lang,
            )
        )
