"""The TUI's view of the library (corpus, medians, index, embedder, searches, exports), free of Textual."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..corpus import load_corpus
from ..errors import KompassError
from ..model.embed import Embedder
from ..models import Evaluation, slugify
from ..progress import Progress
from ..search.filters import Filters
from ..search.groups import Group
from ..taxonomy import TemplateError, get_template, theme_name, themes

ROWS = 20  # practices shown in all; one evaluation alone shows 10 of its practices


@dataclass(frozen=True)
class Results:
    """The answer to one query: groups, how many practices matched, and how long it took."""

    query: str
    filters: Filters
    mode: str
    groups: tuple[Group, ...] = ()  # one per evaluation, its best practices first
    hits: int = 0
    seconds: float = 0.0
    generation: int = 0
    evaluations: dict[str, Evaluation] = field(
        default_factory=dict
    )  # the groups' evaluations by key
    weak_hidden: int = 0  # weak matches left out (below the calibrated threshold)

    @property
    def empty(self) -> bool:
        return not self.groups


def medians(evals: Sequence[Evaluation]) -> dict[str, float]:
    """The corpus median of each theme's area score (0..100), over every evaluation scoring it."""
    by_theme: dict[str, list[float]] = {}
    for ev in evals:
        for a in ev.areas:
            if a.score is not None and a.max:
                by_theme.setdefault(a.theme, []).append(100.0 * a.score / a.max)
    return {t: statistics.median(v) for t, v in by_theme.items()}


def area_choices(evals: Sequence[Evaluation]) -> list[tuple[str, str]]:
    """(label, theme) for the area filter: the names that the corpus's templates give each theme's
    area, the most used template first ('Tillgänglighet och brukarorientering · Brukarens fokus')."""
    used = Counter(ev.template for ev in evals)
    out: list[tuple[str, str]] = []
    for theme in themes():
        names: list[str] = []
        for tid, _ in sorted(used.items(), key=lambda kv: (-kv[1], kv[0])):
            try:
                area = get_template(tid).area_by_theme(theme)
            except TemplateError:
                continue
            if area is not None and area.name.casefold() not in (n.casefold() for n in names):
                names.append(area.name)
        out.append((" · ".join(names) or theme_name(theme, "en"), theme))
    return out


def export_name(query: str, now: float | None = None) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    words = slugify(query)[:40].strip("-") or "results"
    return f"kompass-{words}-{stamp}.md"


class Session:
    """Everything one `kompass tui` session needs from the library; thread-safe where the app needs it.

    ``prepare`` (slow: index build, model load) runs in a worker; ``search`` runs in a worker
    per query; the rest is quick and runs on the UI thread.
    """

    def __init__(
        self,
        config: Config,
        embedder: Embedder | None = None,
        out_dir: Path | None = None,
        lang: str | None = None,
    ) -> None:
        self.config = config
        self.lang = lang  # of labels and citations; None: each evaluation's own language
        self.embedder = embedder
        self.out_dir = out_dir or Path.cwd()
        self.evaluations: list[Evaluation] = []
        self.by_key: dict[str, Evaluation] = {}
        self.medians: dict[str, float] = {}
        self.searcher: Any = None
        self._lock = threading.Lock()
        self._generation = 0

    # ------------------------------------------------------------ start-up

    def load_corpus(self) -> list[Evaluation]:
        self.evaluations = load_corpus(self.config.corpus)
        self.by_key = {e.key: e for e in self.evaluations}
        self.medians = medians(self.evaluations)
        return self.evaluations

    @property
    def ready(self) -> bool:
        return self.searcher is not None

    def prepare(self, reporter: Progress) -> None:
        """Open the index (building or updating it first when needed), then load the query model."""
        from ..index.prepare import prepare_index
        from ..search.searcher import Searcher

        fake = self.embedder
        index = prepare_index(
            self.config, reporter, embedder=(lambda: fake) if fake is not None else None
        )
        searcher = Searcher.open(self.config, fake, index=index).with_lang(self.lang)
        reporter.note(f"loading the query model {self.model_name}…")
        searcher.embedder  # noqa: B018 - load it now, in the worker, not on the first keystroke
        if searcher.index.count:
            searcher.search("kommun", top=1)  # warm up: faiss, BM25 and the engine's first call
        self.searcher = searcher

    @property
    def model_name(self) -> str:
        if self.embedder is not None:
            return self.embedder.model_id
        return Path(self.config.model).name

    # ------------------------------------------------------------ search

    def next_generation(self) -> int:
        with self._lock:
            self._generation += 1
            return self._generation

    def is_current(self, generation: int) -> bool:
        return generation == self._generation

    def search(
        self,
        query: str,
        filters: Filters,
        mode: str,
        generation: int = 0,
        top: int = 30,
        rows: int = ROWS,
    ) -> Results:
        """Ranked practices for ``query``, one group per evaluation (at most ``top``) with its best
        practices: about ``rows`` practices in all, at least 3 and at most 10 per evaluation."""
        t0 = time.perf_counter()
        with self._lock:  # one query at a time through the embedder
            every = self.searcher.search_grouped(
                query, filters, mode, top=top, per_group=10, include_weak=True
            )
        found = [
            replace(g, hits=strong, rank_score=strong[0].rank_score)
            for g in every
            if (strong := tuple(h for h in g.hits if not h.weak))
        ]
        weak = sum(1 for g in every for h in g.hits if h.weak)
        per_group = max(3, min(10, rows // max(1, len(found))))
        groups = tuple(
            replace(g, hits=g.hits[:per_group]) for g in found if g.evaluation in self.by_key
        )
        hits = sum(len(g.hits) for g in groups)
        return Results(
            query,
            filters,
            mode,
            groups,
            hits,
            time.perf_counter() - t0,
            generation,
            self.by_key,
            weak if not groups else 0,
        )

    # ------------------------------------------------------------ actions

    def export_markdown(self, results: Results) -> Path:
        """Write ``results`` as Markdown into the output folder; returns the file."""
        text = results_markdown(results, lang=self.lang)
        path = self.out_dir / export_name(results.query)
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as e:
            raise KompassError(
                f"cannot write the export ({e.strerror}); check the folder", path
            ) from None
        return path

    def save_citation(self, citation: str, practice: str | None = None) -> Path:
        """Append ``citation`` to the session's citations file (for terminals without OSC 52),
        under the ``practice`` text it cites, so the file can be pasted into a report as it is."""
        path = self.out_dir / "kompass-citations.md"
        entry = f"- {practice}\n  {citation}\n" if practice else f"- {citation}\n"
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as f:
                f.write(entry)
        except OSError as e:
            raise KompassError(
                f"cannot write the citation ({e.strerror}); check the folder", path
            ) from None
        return path


def describe_filters(filters: Filters) -> str:
    """'theme user_focus, country SE, years 2010-2016' (or 'none')."""
    parts = []
    for f in fields(filters):
        value = getattr(filters, f.name)
        if value is not None and f.name not in ("year_from", "year_to"):
            shown = f"{value:g}" if isinstance(value, int | float) else str(value)
            parts.append(f"{f.name.replace('_', ' ')} {shown}")
    if filters.year_from is not None or filters.year_to is not None:
        parts.append(f"years {filters.year_from or ''}-{filters.year_to or ''}")
    return ", ".join(parts) or "none"


def results_markdown(results: Results, now: float | None = None, lang: str | None = None) -> str:
    """The results as the CLI's `--group --markdown` prints them, under a heading that says what was asked."""
    from ..render.hits import groups_markdown
    from ..render.text import md_escape

    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(now))
    head = (
        f"# kompass: {md_escape(results.query)}\n\n"
        f"Filters: {describe_filters(results.filters)} · mode {results.mode} · {when}\n\n"
    )
    return head + groups_markdown(results.groups, lang) + "\n"
