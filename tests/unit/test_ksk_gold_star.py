"""Template facts of issue 10 point 7: KS-Konsulent layout, gold stars, 2016 headings with points.

Built from the fictional Grønnvik report (tests/data/reports): no real municipality is named.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.corpus import from_mapping, safe_load
from kompass_search.corpus_write import dump
from kompass_search.ingest import ingest_path
from kompass_search.taxonomy import get_template

ROOT = Path(__file__).resolve().parents[2]
GRONNVIK = ROOT / "tests" / "data" / "reports" / "gronnvik-ks-2010-no.txt"
STAR_ITEM = "Kommunestyremøtene overføres direkte på nett-TV"
NAMED = "Innbyggertorget i rådhuset"


def _ksk_text() -> str:
    text = GRONNVIK.read_text(encoding="utf-8")
    # KS-Konsulent cover: the whole title on one line, the report number as a running footer
    text = text.replace(
        "KommuneKompasset\n\nEVALUERING AV\n\nGRØNNVIK KOMMUNE",
        "Kommunekompasset Evaluering av forvaltningspraksisen i Grønnvik kommune\n\nKS-K rapport 27/2012",
    )
    text = text.replace(f"• {STAR_ITEM} •", f"• {STAR_ITEM} (Gullstjerne) •", 1)
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("Fokusområde 3 "))
    lines.insert(k - 1, f"\nGullstjerne: {NAMED}\n")
    text = "\n".join(lines)
    # an "Avslutning" chapter after the last area, then a running footer inside a list
    text = text.replace(
        "4 Oversikt over poengfordeling",
        "Avslutning\n\nEvaluatorene takker kommunen for et godt samarbeid.\tSe vedlegg\n\n"
        "4 Oversikt over poengfordeling",
    )
    return text


def test_ksk_report_with_gold_stars(tmp_path: Path) -> None:
    ref = ingest_path(GRONNVIK).evaluation
    path = tmp_path / "ksk.txt"
    path.write_text(_ksk_text(), encoding="utf-8")
    res = ingest_path(path)
    ev = res.evaluation
    assert ev.municipality == "Grønnvik"
    area1, area2, area8 = ev.area(1), ev.area(2), ev.area(8)
    assert area1 is not None and area2 is not None and area8 is not None
    assert area1.gold_stars == (STAR_ITEM,)
    assert area1.strengths == ref.areas[0].strengths  # the marker is not part of the text
    assert area2.gold_stars == (NAMED,) and area2.strengths[-1] == NAMED
    assert area8.strengths == ref.areas[7].strengths  # "Avslutning" ends the areas
    assert [a.score for a in ev.areas] == [a.score for a in ref.areas]
    # YAML: the practice carries gold_star: true, and reads back the same
    text = dump(ev)
    assert f"- text: {STAR_ITEM}\n    gold_star: true" in text
    assert from_mapping(safe_load(text), Path("x.yaml")) == ev
    assert res.fidelity is not None and res.fidelity.areas[0].gold_stars == [STAR_ITEM]
    assert "★ 1" in res.fidelity.text()


def test_gold_star_in_ingest_json(tmp_path: Path) -> None:
    path = tmp_path / "ksk.txt"
    path.write_text(_ksk_text(), encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(path), "--out", str(tmp_path / "c"), "--json"])
    assert result.exit_code == 0, result.stderr
    areas = json.loads(result.stdout)["results"][0]["fidelity"]["areas"]
    assert areas[0]["gold_stars"] == [STAR_ITEM] and areas[1]["gold_stars"] == [NAMED]


def test_gold_star_labels_are_profile_data() -> None:
    assert "Gullstjerne" in get_template("ks-2010").label("gold_star")
    assert get_template("skl-2016").area(2).name == "Brukarfokus, tillgänglighet och bemötande"
    assert get_template("skl-2016").match_area_name("Kommunen som arbetsgivare, personalpolitik")


def test_show_marks_gold_stars(tmp_path: Path) -> None:
    path = tmp_path / "ksk.txt"
    path.write_text(_ksk_text(), encoding="utf-8")
    corpus = tmp_path / "c"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(path), "--out", str(corpus)]).exit_code == 0
    shown = runner.invoke(app, ["show", "Grønnvik", "--corpus", str(corpus)])
    assert shown.exit_code == 0, shown.stderr
    assert f"+ ★ {STAR_ITEM}" in shown.stdout and f"+ ★ {NAMED}" in shown.stdout
    data = json.loads(
        runner.invoke(app, ["show", "Grønnvik", "--corpus", str(corpus), "--json"]).stdout
    )
    assert {"text": STAR_ITEM, "gold_star": True} in data["areas"][0]["strengths"]
