"""CLI commands over the scores: gaps (weakest subquestions and their role models), compare, top."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer

from . import app
from .common import (
    ConfigOpt,
    CorpusOpt,
    IndexOpt,
    JsonOpt,
    MarkdownOpt,
    fail,
    get_config,
    handle_errors,
)
from .search_cmds import BarReporter, one_format

if TYPE_CHECKING:
    from ..models import Evaluation

_WHO = re.compile(r"^(.*?)(?:[:@](\d{4}))?$")


def _find(evals: list[Evaluation], spec: str, year: int | None = None) -> Evaluation:
    """'Vännäs', 'Vännäs:2016' or 'Vännäs@2016' -> the evaluation (the latest when no year)."""
    from ..corpus import find_evaluation

    m = _WHO.match(spec.strip())
    name, y = (m.group(1), m.group(2)) if m else (spec, None)
    if not name.strip():
        raise fail("give a municipality name, e.g. Vännäs or Vännäs:2016")
    return find_evaluation(evals, name.strip(), int(y) if y else year)


@app.command()
@handle_errors
def gaps(
    municipality: Annotated[
        str,
        typer.Argument(
            help="Municipality, optionally with :YEAR (Vännäs:2016).", show_default=False
        ),
    ],
    year: Annotated[
        int | None, typer.Option("--year", help="Which evaluation (default: the latest).")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Number of gaps.", min=1)] = 3,
    models: Annotated[int, typer.Option("--models", help="Role models per gap.", min=1)] = 3,
    practices: Annotated[
        int, typer.Option("--practices", help="Practices per role model.", min=0)
    ] = 3,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The weakest subquestions (areas for score-only records) and who scored highest there."""
    from ..corpus import load_corpus
    from ..render_roles import gaps_json, gaps_markdown, gaps_text
    from ..roles import gaps as find_gaps
    from ..roles import weakest
    from ..search import prepare_index

    one_format(json_out, markdown)
    cfg = get_config(config, corpus=corpus, index=index_dir)
    evals = load_corpus(cfg.corpus)
    target = _find(evals, municipality, year)
    weakest(target)  # a record without area scores fails here, before any index work
    index = (
        prepare_index(cfg, BarReporter()) if practices else None
    )  # practices come from the index
    report = find_gaps(evals, target, top=top, models=models, per_model=practices, index=index)
    if json_out:
        typer.echo(gaps_json(report))
    elif markdown:
        typer.echo(gaps_markdown(report, target.language))
    else:
        typer.echo(gaps_text(report))


@app.command()
@handle_errors
def compare(
    a: Annotated[
        str, typer.Argument(help="First municipality, optionally :YEAR.", show_default=False)
    ],
    b: Annotated[
        str, typer.Argument(help="Second municipality, optionally :YEAR.", show_default=False)
    ],
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Two evaluations' area profiles side by side, by theme (marked where templates differ)."""
    from ..corpus import load_corpus
    from ..render_roles import compare_json, compare_markdown, compare_text
    from ..roles import compare as compare_profiles

    one_format(json_out, markdown)
    evals = load_corpus(get_config(config, corpus=corpus).corpus)
    ea, eb = _find(evals, a), _find(evals, b)
    if ea.key == eb.key:
        raise fail(
            f"both name {ea.municipality} {ea.year}; compare two evaluations (e.g. {ea.municipality}:YEAR)"
        )
    c = compare_profiles(ea, eb)
    typer.echo(
        compare_json(c) if json_out else compare_markdown(c) if markdown else compare_text(c)
    )


@app.command()
@handle_errors
def top(
    area: Annotated[
        str,
        typer.Argument(
            help="Area number (1-8, within each template) or theme (e.g. user_focus).",
            show_default=False,
        ),
    ],
    n: Annotated[int, typer.Option("--top", help="Number of evaluations.", min=1)] = 10,
    country: Annotated[str | None, typer.Option("--country", help="SE or NO.")] = None,
    json_out: JsonOpt = False,
    markdown: MarkdownOpt = False,
    corpus: CorpusOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Evaluations ranked by one area's score."""
    from ..corpus import load_corpus
    from ..render_roles import top_json, top_markdown, top_text
    from ..roles import top_by_area

    one_format(json_out, markdown)
    evals = load_corpus(get_config(config, corpus=corpus).corpus)
    if country is not None:
        c = country.strip().upper()
        if c not in ("SE", "NO"):
            raise fail(f"--country {country!r}: use SE or NO")
        evals = [e for e in evals if e.country == c]
    rows, note = top_by_area(evals, area, n)
    typer.echo(
        top_json(rows)
        if json_out
        else top_markdown(rows, note)
        if markdown
        else top_text(rows, note)
    )
