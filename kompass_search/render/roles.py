"""Gaps, comparisons and area rankings as text, Markdown or JSON (shared by the CLI and the TUI)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..search.roles import THEME_NOTE, Comparison, GapReport, Practice, RoleModel, TopRow
from .text import json_lines, md_escape, width, wrap

BASIS = {
    "subquestion": "subquestion vs subquestion",
    "area": "area vs area, same template",
    "theme": "area vs area, other template, matched by theme*",
}


def vs(m: RoleModel) -> str:
    """'90 % vs 32 %': the role model's figure beside the target's, on the same basis."""
    own = "" if m.target_percent is None else f" vs {m.target_percent:.0f} %"
    return f"{m.percent:.0f} %{own}"


BRIEF: dict[str, dict[str, Any]] = {
    "sv": {
        "title": "Förebilder för {m} {y}",
        "weak": "svagaste delfrågor först",
        "weak_areas": "svagaste områden först",
        "area": "område",
        "basis": {
            "subquestion": "delfråga mot delfråga",
            "area": "område mot område",
            "theme": "område mot område, annan mall*",
        },
        "note": "* Områden i olika mallar jämförs via tema; den kopplingen är härledd ur områdenas namn, inte officiell.",
        "linked": "härledd koppling till delfrågan",
        "none": "ingen beskriven styrka som svarar mot luckan",
        "score_only": "bara poäng: ingen rapporttext i korpusen",
    },
    "no": {
        "title": "Forbilder for {m} {y}",
        "weak": "svakeste delspørsmål først",
        "weak_areas": "svakeste områder først",
        "area": "område",
        "basis": {
            "subquestion": "delspørsmål mot delspørsmål",
            "area": "område mot område",
            "theme": "område mot område, annen mal*",
        },
        "note": "* Områder i ulike maler sammenlignes via tema; koblingen er utledet fra navnene, ikke offisiell.",
        "linked": "utledet kobling til delspørsmålet",
        "none": "ingen beskreven styrke som svarer til gapet",
        "score_only": "bare poeng: ingen rapporttekst i korpuset",
    },
}


def _practice_dict(p: Practice) -> dict[str, Any]:
    return {
        "text": p.text,
        "area_number": p.area_number,
        "subquestion": p.subquestion,
        "subquestion_inferred": p.subquestion is not None and not p.reviewed,
        "linked": p.linked,
        "link_similarity": None if p.link_similarity is None else round(p.link_similarity, 4),
        "relevance": None if p.relevance is None else round(p.relevance, 4),
        "citation": p.citation,
    }


def _model_dict(m: RoleModel) -> dict[str, Any]:
    return {
        "municipality": m.municipality,
        "year": m.year,
        "template": m.template,
        "percent": m.percent,
        "target_percent": m.target_percent,
        "basis": m.basis,
        "inferred_mapping": m.basis == "theme",
        "score_only": m.score_only,
        "area_number": m.area_number,
        "area_name": m.area_name,
        "practices": [_practice_dict(p) for p in m.practices],
    }


def gaps_json(r: GapReport) -> str:
    out = {
        "municipality": r.municipality,
        "year": r.year,
        "template": r.template,
        "level": r.level,
        "practices_searched": r.practices_searched,
        "gaps": [
            {
                "id": g.id,
                "title": g.title,
                "percent": g.percent,
                "area_percent": g.area_percent,
                "area_number": g.area_number,
                "theme": g.theme,
                "role_models": [_model_dict(m) for m in g.role_models],
            }
            for g in r.gaps
        ],
    }
    if any(m.basis == "theme" for g in r.gaps for m in g.role_models):
        out["note"] = THEME_NOTE
    return json.dumps(out, ensure_ascii=False)


def gaps_text(r: GapReport, w: int | None = None) -> str:
    w = w or width()
    what = "subquestions" if r.level == "subquestion" else "areas (score-only record)"
    lines = [f"{r.municipality} {r.year} ({r.template}): weakest {what}, weakest first"]
    if r.level == "subquestion":
        lines.append(
            "role models: subquestion vs subquestion where both have it, else area vs area"
        )
    for g in r.gaps:
        own = (
            f"  (area {g.area_number}: {g.area_percent:.0f} %)"
            if "." in g.id and g.area_percent is not None
            else ""
        )
        lines += ["", wrap(f"{g.id}  {g.percent:.0f} %  {g.title}{own}", "", w)]
        if not g.role_models:
            lines.append("   no evaluation in the corpus scored higher here")
        for m in g.role_models:
            lines.append(
                f"   {m.municipality} {m.year}  {vs(m)}  area {m.area_number} {m.area_name}  [{BASIS[m.basis]}]"
            )
            if r.practices_searched and not m.practices:
                why = (
                    "scores only: no report text in the corpus"
                    if m.score_only
                    else "none of its strengths answers this gap"
                )
                lines.append(f"      ({why})")
            for p in m.practices:
                how = "reviewed" if p.reviewed else "inferred"
                mark = f" (subquestion {p.subquestion}, {how})" if p.linked else ""
                lines.append(wrap(f"- {p.text}{mark}", "      ", w))
    if any(m.basis == "theme" for g in r.gaps for m in g.role_models):
        lines += ["", f"* {THEME_NOTE}"]
    return "\n".join(lines)


def gaps_markdown(r: GapReport, language: str = "sv") -> str:
    t = BRIEF.get(language, BRIEF["sv"])
    weak = t["weak"] if r.level == "subquestion" else t["weak_areas"]
    lines = [f"## {t['title'].format(m=md_escape(r.municipality), y=r.year)}", "", f"_{weak}_"]
    for g in r.gaps:
        lines += ["", f"### {g.id} {md_escape(g.title)} ({g.percent:.0f} %)", ""]
        for m in g.role_models:
            lines.append(
                f"- **{md_escape(m.municipality)} {m.year}**: {vs(m)} "
                f"({t['area']} {m.area_number} {md_escape(m.area_name)}; {t['basis'][m.basis]})"
            )
            if r.practices_searched and not m.practices:
                lines.append(f"  - _{t['score_only'] if m.score_only else t['none']}_")
            for p in m.practices:
                linked = f" _({t['linked']})_" if p.linked and not p.reviewed else ""
                lines.append(f"  - {md_escape(p.text)}{linked}  \n    {md_escape(p.citation)}")
    if any(m.basis == "theme" for g in r.gaps for m in g.role_models):
        lines += ["", t["note"]]
    return "\n".join(lines)


def _cell(a: Any) -> tuple[str, str]:
    if a is None:
        return "-", ""
    return f"{a.number} {a.name}", "" if a.score is None else f"{a.score:g}"


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def compare_text(c: Comparison) -> str:
    a, b = c.a, c.b
    head = f"{'theme':<26} {_cut(f'{a.municipality} {a.year} ({a.template})', 38):<38} {_cut(f'{b.municipality} {b.year} ({b.template})', 38):<38} diff"
    lines = [head]
    for r in c.rows:
        (na, sa), (nb, sb) = _cell(r.a), _cell(r.b)
        d = "" if r.difference is None else f"{r.difference:+.0f}"
        lines.append(
            f"{_cut(r.theme_name, 26):<26} {_cut(na, 33):<33} {sa:>4} {_cut(nb, 33):<33} {sb:>4} {d:>4}{' *' if r.mapped else ''}"
        )
    ta = "" if a.total is None else f"{a.total:g}"
    tb = "" if b.total is None else f"{b.total:g}"
    lines.append(f"{'total (stated)':<26} {'':<33} {ta:>4} {'':<33} {tb:>4}")
    if any(r.mapped for r in c.rows):
        lines += ["", f"* matched through the theme: {THEME_NOTE}"]
    lines += [f"note: {n}" for n in c.notes]
    return "\n".join(lines)


def compare_json(c: Comparison) -> str:
    def side(x: Any) -> dict[str, Any] | None:
        return (
            None
            if x is None
            else {"number": x.number, "name": x.name, "score": x.score, "max": x.max}
        )

    out = {
        "a": {
            "municipality": c.a.municipality,
            "year": c.a.year,
            "template": c.a.template,
            "total": c.a.total,
        },
        "b": {
            "municipality": c.b.municipality,
            "year": c.b.year,
            "template": c.b.template,
            "total": c.b.total,
        },
        "rows": [
            {
                "theme": r.theme,
                "theme_name": r.theme_name,
                "a": side(r.a),
                "b": side(r.b),
                "difference": r.difference,
                "mapped": r.mapped,
            }
            for r in c.rows
        ],
    }
    if any(r.mapped for r in c.rows):
        out["note"] = THEME_NOTE
    out["notes"] = list(c.notes)
    return json.dumps(out, ensure_ascii=False)


def compare_markdown(c: Comparison) -> str:
    a, b = c.a, c.b
    lines = [
        f"| theme | {md_escape(a.municipality)} {a.year} | | {md_escape(b.municipality)} {b.year} | | diff |",
        "|---|---|--:|---|--:|--:|",
    ]
    for r in c.rows:
        (na, sa), (nb, sb) = _cell(r.a), _cell(r.b)
        d = "" if r.difference is None else f"{r.difference:+.0f}"
        star = " \\*" if r.mapped else ""
        lines.append(
            f"| {md_escape(r.theme_name)}{star} | {md_escape(na)} | {sa} | {md_escape(nb)} | {sb} | {d} |"
        )
    if any(r.mapped for r in c.rows):
        lines += ["", f"\\* {THEME_NOTE}"]
    lines += [f"\n_note: {md_escape(n)}_" for n in c.notes]
    return "\n".join(lines)


def _top_dict(i: int, r: TopRow) -> dict[str, Any]:
    e = r.evaluation
    return {
        "rank": i,
        "municipality": e.municipality,
        "year": e.year,
        "country": e.country,
        "template": e.template,
        "area_number": r.area.number,
        "area_name": r.area.name,
        "theme": r.area.theme,
        "score": r.area.score,
        "percent": r.percent,
        "score_only": e.score_only,
    }


def top_json(rows: Sequence[TopRow]) -> str:
    return json_lines(_top_dict(i, r) for i, r in enumerate(rows, start=1))


def top_text(rows: Sequence[TopRow], note: str | None, left_out: Sequence[str] = ()) -> str:
    gone = [f"left out: {x}" for x in left_out]
    if not rows:
        return "\n".join(["no evaluation has a score for this area", *gone])
    lines = [
        f"{i:>3}. {_cut(f'{r.evaluation.municipality} {r.evaluation.year}', 24):<24} {r.percent:>4.0f}  "
        f"area {r.area.number} {r.area.name} ({r.evaluation.template})"
        for i, r in enumerate(rows, start=1)
    ]
    return "\n".join(lines + ([f"\nnote: {note}"] if note else []) + gone)


def top_markdown(rows: Sequence[TopRow], note: str | None, left_out: Sequence[str] = ()) -> str:
    lines = ["| # | municipality | year | score | area | template |", "|--:|---|--:|--:|---|---|"]
    for i, r in enumerate(rows, start=1):
        e = r.evaluation
        lines.append(
            f"| {i} | {md_escape(e.municipality)} | {e.year} | {r.percent:.0f} | {r.area.number} {md_escape(r.area.name)} | {e.template} |"
        )
    gone = [f"\n_left out: {md_escape(x)}_" for x in left_out]
    return "\n".join(lines + ([f"\n_{note}_"] if note else []) + gone)
