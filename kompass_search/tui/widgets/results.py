"""The results list: one row per evaluation with its best practices beneath, or the corpus when idle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...models import Evaluation, Hit
from ...render.hits import words
from ...render.text import fmt
from ..session import Results
from .detail import KIND_MARK, ui

MARK_STYLE = {"strength": "green", "improvement": "red"}
SNIPPET = 180  # characters of a summary paragraph shown in the list; the pane shows all of it


@dataclass(frozen=True)
class Entry:
    """What a row stands for: an evaluation, or one of its practices."""

    evaluation: Evaluation
    hit: Hit | None = None

    @property
    def area_number(self) -> int | None:
        return self.hit.passage.area_number if self.hit is not None else None


def header_prompt(ev: Evaluation, hit: Hit | None, lang: str | None = None) -> Content:
    """'Vännäs 2016 SE · område 2: 49/100' for a result, 'Grästorp 2014 SE · totalt 506 · endast
    poäng' idle: in ``lang`` (default: the evaluation's language)."""
    w, t = words(lang or ev.language), ui(lang or ev.language)
    parts: list[Any] = [(f"{ev.municipality} {ev.year}", "bold $text-accent"), f" {ev.country}"]
    area = ev.area(hit.passage.area_number) if hit is not None else None
    if area is not None:
        parts += [" · ", (f"{w['area']} {area.number}: {fmt(area.score)}/{fmt(area.max)}", "bold")]
    else:
        parts.append((f" · {t['total'].lower()} {fmt(ev.total)}", "$text-muted"))
        if ev.score_only:
            parts.append((f" · {t['scores_only']}", "$text-warning"))
    return Content.assemble(*parts)


def used_score(hit: Hit, lang: str | None = None) -> str:
    """The score a practice is credited with, and where it comes from: 'delfråga 2.6 (härledd): 35'
    or 'område 2: 49', in ``lang`` (default: the evaluation's language)."""
    p = hit.passage
    w = words(lang or p.language)
    if hit.score_source == "subquestion":
        how = w["reviewed"] if p.link_reviewed else w["inferred"]
        return f"{w['subquestion']} {p.subquestion} ({how}): {fmt(round(hit.score or 0))}"
    if hit.score_source == "area":
        return f"{w['area']} {p.area_number}: {fmt(round(hit.score or 0))}"
    return w["no_score"]


def hit_prompt(hit: Hit, lang: str | None = None) -> Table:
    """A practice under its evaluation: kind mark, text (hanging indent), then the numbers."""
    p = hit.passage
    text = p.text if len(p.text) <= SNIPPET else p.text[: SNIPPET - 1] + "…"
    text = ("★ " if p.gold_star else "") + text
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=2, justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(KIND_MARK.get(p.kind, "·"), style=MARK_STYLE.get(p.kind, "")), Text(text))
    w = words(lang or p.language)
    numbers = (
        f"{w['relevance']} {hit.relevance:.2f} · {used_score(hit, lang)} · "
        f"{w['rank']} {hit.rank_score:.2f}"
    )
    grid.add_row("", Text(numbers, style="dim"))
    return grid


class ResultList(OptionList):
    """Rows are evaluations and practices; highlighting one tells the app to show it."""

    class Picked(Message):
        """The highlighted row changed (or the list was refilled)."""

        def __init__(self, entry: Entry | None) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entries: list[Entry] = []
        self.lang: str | None = None  # of labels (None: each evaluation's own language)

    @property
    def current(self) -> Entry | None:
        i = self.highlighted
        return self.entries[i] if i is not None and 0 <= i < len(self.entries) else None

    def _fill(
        self, rows: Sequence[tuple[Entry, Content | Table]], dividers: set[int] | None = None
    ) -> None:
        self.entries = [e for e, _ in rows]
        options: list[Option | None] = []
        for i, (_, prompt) in enumerate(rows):
            options.append(Option(prompt))
            if dividers and i in dividers:
                options.append(None)  # a rule under the row; not an option, so indices stay aligned
        self.clear_options()
        self.add_options(options)
        if rows:
            self.highlighted = 1 if len(rows) > 1 and rows[1][0].hit is not None else 0
        self.post_message(self.Picked(self.current))

    def show_results(self, results: Results) -> None:
        rows: list[tuple[Entry, Content | Table]] = []
        ends: set[int] = set()
        for g in results.groups:
            ev = results.evaluations[g.evaluation]
            rows.append((Entry(ev, g.best), header_prompt(ev, g.best, self.lang)))
            rows += [(Entry(ev, h), hit_prompt(h, self.lang)) for h in g.hits]
            ends.add(len(rows) - 1)
        ends.discard(len(rows) - 1)
        self._fill(rows, ends)

    def show_corpus(self, evals: Sequence[Evaluation]) -> None:
        """The idle view: every evaluation in the corpus, so score-only records can be browsed too."""
        self._fill([(Entry(ev), header_prompt(ev, None, self.lang)) for ev in evals])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Picked(self.current))
