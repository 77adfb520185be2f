"""Ingest: one report (.txt or .pdf) -> one Evaluation, written as corpus/<municipality>-<year>.yaml."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from ..corpus import load_file, read_bytes
from ..corpus_write import corpus_path, dump, write_atomic
from ..errors import IngestError, KompassError
from ..models import Evaluation
from ..taxonomy import Template
from ..validate import check_evaluation
from .assemble import assemble
from .detect import detect_language, detect_template
from .fidelity import Fidelity, fidelity
from .lines import split_lines
from .parsed import Parsed
from .parser import parse
from .text import decode_text

__all__ = [
    "IngestResult",
    "Parsed",
    "ingest_path",
    "ingest_url",
    "parse_text",
    "report_files",
    "write_result",
]

SOURCES = "sources"


def parse_text(text: str, where: str) -> tuple[Evaluation, list[str], Template]:
    """Parse a report's text. Raises IngestError naming ``where`` when it is no evaluation report."""
    ev, warnings, tmpl, _parsed, _score_from = _parse(text, where)
    return ev, warnings, tmpl


def _parse(text: str, where: str) -> tuple[Evaluation, list[str], Template, Parsed, dict[int, str]]:
    lines = split_lines(text)  # NFC, invisible characters removed, cells split
    lang = detect_language(lines)
    if lang is None:
        raise IngestError(
            "no Kommunkompassen/Kommunekompasset structure found (no area sections, no 'Styrkor'/'Styrker' "
            "lists); is this an evaluation report? If it is, add its wording to a template profile",
            where,
        )
    tmpl = detect_template(lines, lang)
    parsed = parse(lines, tmpl)  # tables and area sections
    ev, warnings, score_from = assemble(parsed, lines, tmpl, where)  # + cover -> Evaluation
    return ev, parsed.warnings + warnings, tmpl, parsed, score_from


@dataclass(frozen=True)
class IngestResult:
    evaluation: Evaluation
    warnings: list[str]
    source: Path
    fidelity: Fidelity | None = None  # what was found per area; None for published results

    @property
    def counts(self) -> dict[str, int]:
        ev = self.evaluation
        return {
            "areas": len(ev.areas),
            "subquestions": len(ev.subquestions),
            "strengths": sum(len(a.strengths) for a in ev.areas),
            "improvements": sum(len(a.improvements) for a in ev.areas),
            "summary paragraphs": sum(len(a.summary) for a in ev.areas),
        }


def read_report_text(path: Path) -> str:
    """The text of a report file, from a PDF or a UTF-8 text file."""
    data = read_bytes(path, IngestError, folder="pass report files (.txt or .pdf)")
    if not data.strip():
        raise IngestError("empty file; pass a Kommunkompassen report as .txt or .pdf", path)
    if data.startswith(b"%PDF"):
        from .pdf import pdf_text  # pdfplumber loads only for PDFs

        return pdf_text(path)
    if path.suffix.lower() == ".pdf":
        raise IngestError("named .pdf but is not a PDF file; check the file", path)
    return decode_text(data, path)


REPORT_SUFFIXES = (".pdf", ".txt")


def report_files(folder: Path) -> list[Path]:
    """Every .pdf/.txt under ``folder`` (hidden ones aside), in name order."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() in REPORT_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if not files:
        raise IngestError(
            "no .pdf or .txt reports in this folder; pass a folder of reports", folder
        )
    return files


def ingest_url(url: str, folder: Path) -> IngestResult:
    """Download a report into ``folder`` (a temporary one) and ingest it; its source names ``url``."""
    from .fetch import download  # urllib loads only for addresses

    path = download(url, folder)
    try:
        return ingest_path(path, url=url)
    except IngestError as e:  # name the address, not the temporary file
        raise IngestError(e.message, url) from None


def ingest_path(path: Path, *, url: str | None = None) -> IngestResult:
    """Parse one report. Raises IngestError (one line, naming the file) when it is not a usable report."""
    text = read_report_text(path)
    ev, warnings, _tmpl, parsed, score_from = _parse(text, str(path))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ev = replace(
        ev,
        source=replace(ev.source, file=f"{SOURCES}/{path.name}", url=url, note=f"sha256 {digest}"),
    )
    problems = check_evaluation(ev)
    warnings += [p.message for p in problems if p.level == "warning"]
    errors = [p.message for p in problems if p.level == "error"]
    if errors:
        raise IngestError(f"parsed figures are inconsistent: {errors[0]}; check the report", path)
    warnings = list(dict.fromkeys(warnings))
    report = fidelity(ev, parsed, score_from, warnings, str(path))
    return IngestResult(ev, warnings, path, report)


def write_result(result: IngestResult, out_dir: Path, *, force: bool = False) -> tuple[Path, str]:
    """Write the YAML and keep a copy of the source; returns (path, what happened).

    A corpus file that differs from what the parser makes now (e.g. corrected by hand) is never
    replaced silently: the new YAML goes beside it as <name>.yaml.new (not loaded) unless ``force`` is set.
    """
    try:
        return _write_result(result, out_dir, force)
    except OSError as e:  # --out is a file, read-only, on a full disk, ...
        raise IngestError(
            f"cannot write the corpus file ({e.strerror or e}); pass --out a writable folder",
            out_dir,
        ) from None


def _kept_copy(target: Path, out_dir: Path, source: Path) -> str | None:
    """The existing record's source file (``sources/...``) when it holds this very report."""
    try:
        kept = load_file(target).source.file if target.is_file() else None
        same = kept is not None and (out_dir / kept).read_bytes() == source.read_bytes()
    except (KompassError, OSError):
        return None
    return kept if same else None


def _write_result(result: IngestResult, out_dir: Path, force: bool) -> tuple[Path, str]:
    src_copy = out_dir / SOURCES / result.source.name
    kept = _kept_copy(corpus_path(out_dir, result.evaluation), out_dir, result.source)
    if kept is not None:  # the same report again, perhaps under another file name: cite that copy
        src_copy = out_dir / kept
        ev = result.evaluation
        result = replace(result, evaluation=replace(ev, source=replace(ev.source, file=kept)))
    elif (
        src_copy.exists()
        and src_copy.resolve() != result.source.resolve()
        and src_copy.read_bytes() != result.source.read_bytes()
    ):  # another report of that file name is kept there: never replace it
        src_copy = src_copy.with_name(f"{result.evaluation.slug}-{result.source.name}")
        ev = result.evaluation
        ev = replace(ev, source=replace(ev.source, file=f"{SOURCES}/{src_copy.name}"))
        result = replace(result, evaluation=ev)
    target = corpus_path(out_dir, result.evaluation)
    text = dump(result.evaluation)
    if src_copy.resolve() != result.source.resolve():
        src_copy.parent.mkdir(parents=True, exist_ok=True)
        if not src_copy.exists() or src_copy.read_bytes() != result.source.read_bytes():
            tmp = src_copy.with_name(f".{src_copy.name}.tmp")
            shutil.copyfile(result.source, tmp)
            tmp.replace(src_copy)
    aside = target.with_name(target.name + ".new")
    if target.exists():
        if target.read_bytes() == text.encode("utf-8"):  # bytes: a hand edit may not be UTF-8
            aside.unlink(missing_ok=True)  # an earlier run's proposal, now stale
            return target, "unchanged"
        if not force:
            write_atomic(aside, text)
            return (
                aside,
                f"kept {target.name}, which differs (edited by hand?); wrote {aside.name} beside it; compare them, or pass --force to replace",
            )
        write_atomic(target, text)
        aside.unlink(missing_ok=True)  # replaced by force: the proposal beside it is stale
        return target, "replaced"
    write_atomic(target, text)
    return target, "written"
