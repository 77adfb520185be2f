"""Frozen dataclasses: evaluation, area, subquestion, source, passage, hit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

COUNTRIES = ("SE", "NO")
KINDS = ("strength", "improvement", "summary")


def slugify(text: str) -> str:
    """ASCII slug: 'Vännäs' -> 'vannas', 'Midtre Gauldal' -> 'midtre-gauldal', 'Røros' -> 'roros'."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Subquestion:
    """One scored subquestion row, as printed: '1.2 Hur informeras medborgarna? 12 20 61%'."""

    id: str
    title: str
    achieved: float
    max: float
    percent: int | None = None  # as printed; the report rounds from finer figures

    @property
    def area_number(self) -> int:
        return int(self.id.split(".")[0])

    @property
    def share(self) -> float:
        """The finest figure available, 0..100: the printed percent, else achieved/max."""
        if self.percent is not None:
            return float(self.percent)
        return 100.0 * self.achieved / self.max if self.max else 0.0


def _weakness(s: Subquestion) -> tuple[float, float, tuple[int, ...]]:
    # Printed percents tie often (2.6 and 7.2 are both 35 %); the finer achieved/max breaks the
    # tie (5/15 before 9/25), then the id.
    fine = s.achieved / s.max if s.max else 0.0
    return (s.share, fine, tuple(int(x) for x in s.id.split(".") if x.isdigit()))


@dataclass(frozen=True)
class Overview:
    """An area's total row in the score overview (it may differ from the area score by rounding)."""

    achieved: float
    max: float
    percent: int | None = None


@dataclass(frozen=True)
class Area:
    """One main area of an evaluation, with its score and the evaluators' text."""

    number: int
    theme: str
    name: str
    score: float | None
    max: float = 100
    topics: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()
    overview: Overview | None = None
    # strengths the evaluators gave a gold star (KS "Gullstjerne": the best practice in Norway)
    gold_stars: tuple[str, ...] = ()
    # strengths whose subquestion a person reviewed in the corpus YAML: (strength text, subquestion id)
    reviewed_links: tuple[tuple[str, str], ...] = ()

    def reviewed_link(self, strength: str) -> str | None:
        return next((sq for t, sq in self.reviewed_links if t == strength), None)

    @property
    def has_text(self) -> bool:
        return bool(self.summary or self.strengths or self.improvements)


@dataclass(frozen=True)
class Source:
    """Where the figures come from: a report file, or a page that published them."""

    kind: str  # "report" | "published"
    title: str = ""
    publisher: str = ""
    file: str | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """One Kommunkompassen / Kommunekompasset evaluation of one municipality in one year."""

    municipality: str
    country: str
    year: int
    template: str
    language: str
    source: Source
    total: float | None = None
    evaluators: tuple[str, ...] = ()
    date: str | None = None  # YYYY-MM or YYYY-MM-DD
    areas: tuple[Area, ...] = ()
    subquestions: tuple[Subquestion, ...] = ()

    @property
    def slug(self) -> str:
        return f"{slugify(self.municipality)}-{self.year}"

    @property
    def key(self) -> str:
        """Identity of an evaluation across the corpus and the index."""
        return self.slug

    @property
    def score_only(self) -> bool:
        return not any(a.has_text for a in self.areas)

    def area(self, number: int) -> Area | None:
        return next((a for a in self.areas if a.number == number), None)

    def area_by_theme(self, theme: str) -> Area | None:
        return next((a for a in self.areas if a.theme == theme), None)

    def subquestions_of(self, number: int) -> tuple[Subquestion, ...]:
        return tuple(s for s in self.subquestions if s.area_number == number)

    def subquestion(self, sid: str) -> Subquestion | None:
        return next((s for s in self.subquestions if s.id == sid), None)

    def weakest_subquestions(self) -> list[Subquestion]:
        """The subquestions, weakest first: the gaps of `kompass gaps` (search/roles.py)."""
        return sorted(self.subquestions, key=_weakness)

    def weakest_areas(self) -> list[tuple[float, Area]]:
        """The scored areas with their percent, weakest first (then by number): the gaps of an
        evaluation without subquestions."""
        scored = [(100.0 * a.score / a.max, a) for a in self.areas if a.score is not None and a.max]
        return sorted(scored, key=lambda x: (x[0], x[1].number))


@dataclass(frozen=True)
class Passage:
    """A unit of text that is embedded and searched: one strength, improvement or summary paragraph."""

    id: int
    evaluation: str  # Evaluation.key
    municipality: str
    country: str
    year: int
    template: str
    language: str
    area_number: int
    theme: str
    area_name: str
    area_score: float | None
    kind: str
    text: str
    subquestion: str | None = None  # stated link (reviewed, or inferred above the threshold)
    subquestion_title: str | None = None
    subquestion_percent: float | None = None
    link_similarity: float | None = None
    link_confidence: float | None = None  # 0..1; 1 for a reviewed link
    link_reviewed: bool = False  # a person wrote the link into the corpus YAML
    link_best: str | None = None  # the most likely subquestion, also when not stated
    link_runner_up: str | None = None
    link_runner_up_confidence: float | None = None
    gold_star: bool = False
    label: str | None = None  # summary sentences: practice | deficit | neutral
    context: str | None = None  # summary sentences: the paragraph they come from

    @property
    def link_inferred(self) -> bool:
        """A stated link that no person reviewed: shown marked as inferred wherever it is cited."""
        return self.subquestion is not None and not self.link_reviewed


@dataclass(frozen=True)
class Hit:
    """A ranked search result: a passage with the numbers behind its rank and a citation."""

    passage: Passage
    relevance: float
    score: float | None  # the score used: linked subquestion percent, else area score
    score_source: str  # "subquestion" | "area" | "none"
    rank_score: float
    citation: str
    extra: dict[str, float] = field(default_factory=dict)
    weak: bool = False  # relevance below the calibrated threshold (Ranking.weak_below)
