"""Print the answer-quality figures of docs/README-answers.md that `kompass eval` does not.

    python tests/measure_answers.py            # links (real model) and the practice classifier
    python tests/measure_answers.py --no-model # the classifier only

Links: a fresh ingest of corpus/sources/vannas-2016-skl.txt, indexed with the configured model
(no hand review), against the 48 blind gold labels of tests/data/gold_links.yaml. Classifier:
the 112 labelled summary sentences of tests/data/summary_sentences.yaml, per split.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kompass_search.index.practice import DEFICIT, classify_sentences, split_sentences  # noqa: E402
from kompass_search.ingest import ingest_path  # noqa: E402

REPORT = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"


def classifier() -> None:
    ev = ingest_path(REPORT).evaluation
    labelled = yaml.safe_load((ROOT / "tests/data/summary_sentences.yaml").read_text("utf-8"))
    got = [
        c.label
        for a in ev.areas
        for p in a.summary
        for c in classify_sentences(split_sentences(p), ev.language)
    ]
    rows = list(zip(labelled["sentences"], got, strict=True))
    for split in ("tune", "heldout"):
        rs = [(x["label"], g) for x, g in rows if x["split"] == split]
        deficits = [g for want, g in rs if want == DEFICIT]
        acc = sum(w == g for w, g in rs) / len(rs)
        rec = sum(g == DEFICIT for g in deficits) / len(deficits)
        print(f"classifier {split:<8} n={len(rs)} accuracy {acc:.2f} deficit recall {rec:.2f}")


def links() -> None:
    from kompass_search.config import Config
    from kompass_search.index.build import build_index
    from kompass_search.index.reader import open_index
    from kompass_search.model.embed import index_embedder

    gold = {
        (g["area"], " ".join(g["text"].split())): g["subquestion"]
        for g in yaml.safe_load((ROOT / "tests/data/gold_links.yaml").read_text("utf-8"))["links"]
    }
    ev = ingest_path(REPORT).evaluation
    with tempfile.TemporaryDirectory() as tmp:
        build_index([ev], Path(tmp) / "ix", index_embedder(Config()))
        ix = open_index(Path(tmp) / "ix")
        ps = [ix.passage(i) for i in range(ix.count) if ix.rows[i]["kind"] == 0]
    stated = [p for p in ps if p.subquestion]
    right = sum(gold[(p.area_number, p.text)] == p.subquestion for p in stated)
    print(
        f"links: {len(ps)} strengths, {len(stated)} stated, {right} right: "
        f"precision {right / len(stated):.2f}, coverage {len(stated) / len(ps):.2f}"
    )


if __name__ == "__main__":
    classifier()
    if "--no-model" not in sys.argv:
        links()
