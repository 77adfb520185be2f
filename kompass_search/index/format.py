"""The index folder's on-disk format, in one place: file names, the row table, meta keys, evaluation records.

Both the writer (writer.py) and the readers (reader.py, dense.py) import these, so a format change is one edit
here and one bump of FORMAT. Layout of an index folder (plain files; loading memory-maps them):

    meta.json          format, model id, dimension, passage count, text recipe, link method, corpus
                       stamp, content hash per evaluation, the code tables of the row table
    evaluations.json   one EvalRecord per indexed evaluation: names, years, templates, scores
    rows.npy           one structured row per passage (ROW): numeric fields for exact filtering
    texts.bin          the passages' texts, UTF-8, one after another (rows give offset and length),
                       and each summary paragraph once, the context of its sentences
    vectors.faiss      IndexScalarQuantizer(QT_fp16, inner product) over L2-normalized vectors;
                       id = row number. Memory-mapped; its fp16 codes double as the vector table
                       (dense.Dense.vectors) for subset products and vector reuse
    centroid.npy       the mean passage vector (a query's baseline cosine, see search/ranking.py)
    concepts.npy       vectors of the glossary concepts the gap queries name, in the order of
                       meta["concepts"]["ids"] (concepts.py; a search embeds the others when
                       needed); meta["concepts"]["glossary"] names the glossary they are from
    bm25/              BM25 arrays (see bm25.py)
    queries.npy        one vector per gap query (queries.py): texts `kompass gaps` searches with,
                       embedded by the query encoder, fp32, in the order of meta["queries"]["texts"]
    descriptions.npy   optional: the subquestion descriptions embedded (as queries) for linking, fp32,
                       by text hash (description_dtype); an update reuses them instead of embedding them
                       again. Absent in indexes written before it (nothing is reused then)

A passage's id is its row number. Rows are ordered by evaluation key, area, kind and position,
so an unchanged corpus gives the same ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..models import KINDS, Evaluation

# --- format version and vector storage (speed #13) ---------------------------------------------
# FORMAT 2: vectors as faiss SQfp16 (half the bytes of format 1's IndexIDMap(IndexFlatIP) fp32;
# recall@10 vs fp32 >= 0.99, see the benchmark). An index of another format is never read: the
# reader refuses it with a rebuild hint; `kompass index` and a first search rebuild it.
FORMAT = 6  # 2: fp16 vectors (#13); 3: with link confidence, runner-up, reviewed links, gold
# stars and summary sentences (#11); 4: with the glossary concept vectors (concepts.py); 5: with the
# gap query vectors (queries.py); 6: concept vectors only of the concepts the gap
# queries name, the others embedded when a query first names them (concepts.py). Each bump means an older index is rebuilt, never misread.
# meta["recipe"] and meta["link_method"]: how passages' texts and strength links were made (an
# index made otherwise is brought up to date); here so that a search's freshness check needs
# neither passages.py nor plan.py (start-up)
DEFAULT_RECIPE = "lean"  # passages.RECIPES
# links of a previous index are reused only when made the same way
LINK_METHOD = "e5-query-lead-concept-4"
VECTOR_STORAGE = "fp16"  # meta["vectors"]
ENGINE_KEY = "engine"  # meta key: the engine that computed the vectors (model.embed engine names)
# -------------------------------------------------------------------------------------------------

META, EVALUATIONS, ROWS, TEXTS, VECTORS, CENTROID, BM25_DIR, DESCRIPTIONS = (
    "meta.json",
    "evaluations.json",
    "rows.npy",
    "texts.bin",
    "vectors.faiss",
    "centroid.npy",
    "bm25",
    "descriptions.npy",
)
CONCEPTS = "concepts.npy"
QUERIES = "queries.npy"
CODE_TABLES = ("themes", "countries", "templates")  # meta keys: row codes -> values
KIND_CODE = {k: i for i, k in enumerate(KINDS)}  # strength 0, improvement 1, summary 2
LABELS = ("practice", "deficit", "neutral")  # summary sentences (practice.py); -1 for other kinds
LABEL_CODE = {k: i for i, k in enumerate(LABELS)}

ROW = np.dtype(
    [
        ("eval", "<i4"),  # position in evaluations.json
        ("area", "i1"),  # area number within the evaluation's template
        ("theme", "i1"),  # code in meta["themes"]
        ("kind", "i1"),  # code in KIND_CODE
        ("country", "i1"),  # code in meta["countries"]
        ("template", "i1"),  # code in meta["templates"]
        ("ordinal", "<i2"),  # position within its area and kind
        ("year", "<i2"),
        ("link", "<i2"),  # stated link: index into the evaluation's subquestions, -1: area only
        ("area_score", "<f4"),  # 0..100, NaN when the area has no score
        ("sq_score", "<f4"),  # stated link's subquestion percent, NaN when not linked
        ("link_sim", "<f4"),  # cosine of the strength to its best subquestion's description
        ("best", "<i2"),  # the most likely subquestion (also when not stated), -1: none
        ("link_conf", "<f4"),  # confidence of ``best`` (0..1; 1 for a reviewed link), NaN: none
        ("runner", "<i2"),  # the runner-up subquestion, -1: none
        ("runner_conf", "<f4"),
        ("reviewed", "i1"),  # 1: the link was written into the corpus YAML by a person
        ("gold", "i1"),  # 1: a gold-star practice
        ("label", "i1"),  # summary sentences: code in LABEL_CODE; -1 for other kinds
        ("ctx_off", "<i8"),  # summary sentences: their paragraph in texts.bin
        ("ctx_len", "<i4"),  # 0: no context
        ("text_off", "<i8"),
        ("text_len", "<i4"),
        ("hash", "<i8"),  # passages.text_hash of the embedding text: reuse key for its vector
    ]
)


def description_dtype(dim: int) -> np.dtype:
    """A row of descriptions.npy: passages.text_hash of a description and its query vector. fp32, not
    fp16 like the passages: a reused vector must give exactly the links a fresh one gives."""
    return np.dtype([("hash", "<i8"), ("vector", "<f4", (dim,))])


def rebuild_hint(path: object | None = None, corpus: object | None = None) -> str:
    """How to rebuild an index; names the folder (and the corpus it was built from, when known) so
    following the hint rebuilds that index, not the default one from the default corpus."""
    what = f" {corpus}" if corpus else ""
    where = f" --out {path}" if path is not None else ""
    return f"rebuild it with `kompass index --rebuild{where}{what}`"


@dataclass(frozen=True)
class AreaRecord:
    theme: str
    name: str
    score: float | None
    max: float


@dataclass(frozen=True)
class SubquestionRecord:
    id: str
    title: str
    achieved: float
    max: float
    percent: int | None


@dataclass(frozen=True)
class EvalRecord:
    """What the index keeps of an evaluation (evaluations.json): enough to filter, rank and cite."""

    key: str
    municipality: str
    country: str
    year: int
    template: str
    language: str
    date: str | None
    publisher: str
    source_title: str
    hash: str
    areas: dict[int, AreaRecord]
    subquestions: tuple[SubquestionRecord, ...]
    source_url: str | None = None  # a report ingested from an address (cited with it)

    @classmethod
    def of(cls, e: Evaluation, digest: str) -> EvalRecord:
        return cls(
            key=e.key,
            municipality=e.municipality,
            country=e.country,
            year=e.year,
            template=e.template,
            language=e.language,
            date=e.date,
            publisher=e.source.publisher,
            source_title=e.source.title,
            hash=digest,
            areas={a.number: AreaRecord(a.theme, a.name, a.score, a.max) for a in e.areas},
            subquestions=tuple(
                SubquestionRecord(s.id, s.title, s.achieved, s.max, s.percent)
                for s in e.subquestions
            ),
            source_url=e.source.url if e.source.kind != "published" else None,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "municipality": self.municipality,
            "country": self.country,
            "year": self.year,
            "template": self.template,
            "language": self.language,
            "date": self.date,
            "publisher": self.publisher,
            "source_title": self.source_title,
            "hash": self.hash,
            "source_url": self.source_url,
            "areas": {
                str(n): {"theme": a.theme, "name": a.name, "score": a.score, "max": a.max}
                for n, a in self.areas.items()
            },
            "subquestions": [
                {
                    "id": s.id,
                    "title": s.title,
                    "achieved": s.achieved,
                    "max": s.max,
                    "percent": s.percent,
                }
                for s in self.subquestions
            ],
        }

    @classmethod
    def from_json(cls, m: dict[str, Any]) -> EvalRecord:
        return cls(
            key=m["key"],
            municipality=m["municipality"],
            country=m["country"],
            year=int(m["year"]),
            template=m["template"],
            language=m["language"],
            date=m.get("date"),
            publisher=m.get("publisher") or "",
            source_title=m.get("source_title") or "",
            hash=m.get("hash") or "",
            areas={
                int(n): AreaRecord(a["theme"], a["name"], a["score"], a["max"])
                for n, a in m["areas"].items()
            },
            subquestions=tuple(
                SubquestionRecord(s["id"], s["title"], s["achieved"], s["max"], s["percent"])
                for s in m["subquestions"]
            ),
            source_url=m.get("source_url"),
        )

    def subquestion(self, sid: str) -> SubquestionRecord | None:
        return next((s for s in self.subquestions if s.id == sid), None)
