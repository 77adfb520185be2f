"""Print the answer-quality figures of docs/README-answers.md that `kompass eval` does not.

    python tests/measure_answers.py            # links (real model) and the practice classifier
    python tests/measure_answers.py --no-model # the classifier only

Links: a fresh ingest of corpus/sources/vannas-2016-skl.txt, indexed with the configured model
(no hand review), against the 48 blind gold labels of tests/data/gold_links.yaml: precision and
coverage at the shipped threshold, the curve over thresholds, and leave one area out (the
threshold fitted on seven areas, the eighth stated with it, pooled). Classifier:
the 112 labelled summary sentences of tests/data/summary_sentences.yaml, per split.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
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
    from kompass_search.index.link_quality import leave_one_area_out, precision_coverage
    from kompass_search.index.linking import THRESHOLD, Link
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
    found = [
        Link(
            p.area_number,
            p.text,
            p.subquestion,
            p.link_best,
            p.link_confidence or 0.0,
            p.link_runner_up,
            p.link_runner_up_confidence or 0.0,
            p.link_similarity,
        )
        for p in ps
    ]
    precision, coverage, stated = precision_coverage(found, gold)
    print(
        f"links: {len(ps)} strengths, {stated} stated, {round(precision * stated)} right: "
        f"precision {precision:.2f}, coverage {coverage:.2f} (threshold {THRESHOLD})"
    )
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        # re-decided from each link's lead over its runner-up
        again = [
            replace(lk, subquestion=lk.best if lk.margin >= threshold else None) for lk in found
        ]
        pr, cov, n = precision_coverage(again, gold)
        print(f"  lead >= {threshold:.2f}: {n:2d} stated, precision {pr:.2f}, coverage {cov:.2f}")
    pr, cov, n, right = leave_one_area_out(found, gold)
    print(
        f"links, leave one area out (threshold fitted on 7 areas): {n} stated, {right} right: "
        f"precision {pr:.2f}, coverage {cov:.2f}"
    )


if __name__ == "__main__":
    classifier()
    if "--no-model" not in sys.argv:
        links()
