"""The profile-driven report parser: normalized lines in, the figures and texts it found out (a Parsed).

The score tables are read by tables.py; this module reads the area sections (topics, summary,
strengths and improvements) and drives both.
"""

from __future__ import annotations

import re

from ..taxonomy import Template
from .detect import area_heading, fold, is_label
from .items import ROUND, looks_merged, split_list, starts_bullet, strip_bullet
from .lines import Line
from .parsed import AreaText, Parsed
from .tables import is_overview, number, read_overview, read_table1, results_header

__all__ = ["AreaText", "Parsed", "parse"]

LISTS = ("strengths", "improvements")


def parse(lines: list[Line], tmpl: Template) -> Parsed:
    """Tables and area sections of a report's lines; page furniture is dropped first."""
    running = _running_lines(lines, tmpl)
    kept = [ln for ln in lines if not ln.furniture and ln.text not in running]
    parsed = _Parser(kept, tmpl).run()
    prose = [ln.text for ln in kept if len(ln.cells) == 1 and not starts_bullet(ln.text)]
    for n, area in sorted(parsed.sections.items()):
        g = area.dash_inline
        if g and any(f" {g} " in t for t in prose):
            parsed.warnings.append(
                f"area {n}: its lists run inline with '{g}' as the bullet, and the report also "
                f"writes '{g}' inside sentences: an item that holds ' {g} ' followed by a capital "
                "letter may have been cut in two; check its strengths and improvements"
            )
    return parsed


def _running_lines(lines: list[Line], tmpl: Template) -> set[str]:
    """Running headers/footers of a text report: a short line, no label, heading or sentence,
    printed the same (page numbers aside) three or more times."""
    labels = {fold(x) for v in tmpl.labels.values() if isinstance(v, list) for x in v}
    seen: dict[str, list[str]] = {}
    for ln in lines:
        text = ln.text
        if (
            len(ln.cells) == 1
            and 8 <= len(text) <= 100
            and not text.endswith((".", ":", "?", "!"))
            and not starts_bullet(text)
            and fold(text) not in labels
            and area_heading(ln, tmpl) is None
        ):
            seen.setdefault(re.sub(r"\d+", "#", text), []).append(text)
    return {t for texts in seen.values() if len(texts) >= 3 for t in texts}


class _Parser:
    def __init__(self, lines: list[Line], tmpl: Template) -> None:
        self.lines, self.t, self.p = lines, tmpl, Parsed()
        self.gold = [fold(x) for x in tmpl.label("gold_star")]

    def label(self, name: str) -> list[str]:
        return self.t.label(name)

    def run(self) -> Parsed:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if results_header(line, self.t) is not None:
                i = read_table1(self.lines, i, self.t, self.p)
            elif (h := area_heading(line, self.t)) is not None:
                i = self._section(i, h)
            elif is_overview(line, self.t):
                i = read_overview(self.lines, i + 1, self.t, self.p)
            else:
                i += 1
        return self.p

    def _ends_section(self, ln: Line) -> bool:
        return bool(
            area_heading(ln, self.t) is not None
            or is_overview(ln, self.t)
            or results_header(ln, self.t)
            or (len(ln.cells) == 1 and is_label(ln, self.label("end_of_areas")))
        )

    def _list_header(self, ln: Line) -> tuple[str, ...] | None:
        """The kinds of the columns a strengths/improvements header names, in its order."""
        if not 1 <= len(ln.cells) <= 2:
            return None
        kinds = []
        for c in ln.cells:
            kind = next((k for k in LISTS if fold(c) in {fold(x) for x in self.label(k)}), None)
            if kind is None or kind in kinds:
                return None
            kinds.append(kind)
        return tuple(kinds)

    # -- an area section: heading, topics row, Allmänt, Sammanfattning, Styrkor / Förbättringar
    def _section(self, i: int, heading: tuple[int, str, float | None]) -> int:
        number_, name, points = heading
        area = self.p.sections.setdefault(number_, AreaText(heading=name, heading_score=points))
        mode = ""
        block: list[Line] = []
        cols: dict[str, list[str]] = {k: [] for k in LISTS}  # table rows, one column each
        chunks: dict[str, list[str]] = {k: [] for k in LISTS}  # blocks under a one-column header
        named: list[str] = []  # practices named by a gold-star line
        kinds: tuple[str, ...] = ()
        i += 1

        def flush() -> None:
            texts = [ln.text for ln in block]
            if block and mode == "summary":
                self._summary(area, number_, block)
            elif block and mode in LISTS:
                chunks[mode].append("\n".join(texts))
            block.clear()

        while i < len(self.lines):
            ln = self.lines[i]
            if self._ends_section(ln):
                break
            if ln.page_number and mode:
                i += 1  # a page number inside the section's text or lists
                continue
            if star := self._gold_line(ln):
                named.append(star)
                i += 1
                continue
            if is_label(ln, self.label("topics_table")):
                flush()
                mode = ""
                i = self._topics(i + 1, area)
                continue
            if (head := self._list_header(ln)) is not None:
                flush()
                kinds, mode = head, ("table" if len(head) == 2 else head[0])
            elif len(ln.cells) == 1 and is_label(ln, self.label("summary")):
                flush()
                mode = "summary"
            elif len(ln.cells) == 1 and is_label(ln, self.label("general")):
                flush()
                mode = "general"
            elif mode == "table":
                if not ln.blank:
                    if len(ln.cells) >= 2:
                        cols[kinds[0]].append(ln.cells[0])
                        cols[kinds[1]].append(" ".join(ln.cells[1:]))
                    else:  # one column: the headers' order, unless a tab left the first empty
                        cols[kinds[1] if ln.indented else kinds[0]].append(ln.cells[0])
            elif ln.blank:
                flush()
            else:
                block.append(ln)
            i += 1
        flush()
        for kind in LISTS:
            # A table column is one list even where blank lines or page breaks cut it.
            texts = (["\n".join(cols[kind])] if cols[kind] else []) + chunks[kind]
            for text in texts:
                found = split_list(text)
                getattr(area, kind).extend(found.items)
                if found.dash_inline:
                    area.dash_inline = found.glyph
        self._gold_stars(area, named)
        for kind in LISTS:
            for item in getattr(area, kind):
                if looks_merged(item):
                    self.p.warnings.append(
                        f"area {number_}: a {kind[:-1]} looks like several merged ('{item[:60]}…'); "
                        "check its bullets in the report"
                    )
        return i

    def _summary(self, area: AreaText, n: int, block: list[Line]) -> None:
        # A list or table row here means its heading was not recognised: it is no summary text.
        if any(len(ln.cells) >= 2 or _inline_list(ln.text) for ln in block):
            self.p.warnings.append(
                f"area {n}: line {block[0].number}: a list or table outside the strengths/"
                "improvements columns was not stored; check its heading against the template labels"
            )
            return
        para = _join_block([ln.text for ln in block])
        if area.summary and starts_bullet(para) and area.summary[-1].endswith(":"):
            area.summary[-1] += "\n" + para  # a list belongs to the sentence introducing it
        else:
            area.summary.append(para)

    def _gold_rx(self) -> str:
        return r"(?:\b(?:" + "|".join(re.escape(g) for g in self.gold) + r")\b|★)"

    def _gold_line(self, ln: Line) -> str | None:
        """The practice a line such as 'Gullstjerne: Innbyggertorget' names."""
        if not self.gold or len(ln.cells) != 1:
            return None
        m = re.match(rf"^{self._gold_rx()}\s*[:–-]\s*(\S.*)$", ln.text, re.IGNORECASE)
        return strip_bullet(m.group(1)) if m else None

    def _gold_stars(self, area: AreaText, named: list[str]) -> None:
        """Strengths marked with a gold star ("... (Gullstjerne)", "★ ...") or named by a star line."""
        if not self.gold:
            return
        rx = re.compile(rf"\(?\s*{self._gold_rx()}\s*\)?\s*[:.–-]?\s*", re.IGNORECASE)
        for k, item in enumerate(area.strengths):
            if rx.search(item):
                text = " ".join(rx.sub(" ", item).split()).strip(" :–-")
                if text:
                    area.strengths[k] = text
                    area.gold_stars.append(text)
        for text in named:
            match = next((s for s in area.strengths if fold(s) == fold(text)), None)
            if match is None:
                area.strengths.append(text)
                match = text
            if match not in area.gold_stars:
                area.gold_stars.append(match)

    def _topics(self, i: int, area: AreaText) -> int:
        parts: list[str] = []
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.blank:
                if parts or area.section_score is not None:
                    break
                i += 1
                continue
            if (
                len(ln.cells) == 1
                and not starts_bullet(ln.cells[0])
                and number(ln.cells[0]) is None
            ):
                break
            cells = list(ln.cells)
            if cells and (score := number(cells[-1])) is not None:
                area.section_score = score
                cells.pop()
            parts.extend(cells)
            i += 1
        area.topics = split_list("\n".join(parts)).items
        return i


def _inline_list(text: str) -> bool:
    """Several items on one line that starts with a bullet: '• a • b', '– a – b – c'.

    A sentence may hold dashes ("ett program – «Lederløftet» – för alla"); it starts with no bullet.
    """
    if not starts_bullet(text):
        return False
    glyph, body = text.lstrip()[0], strip_bullet(text)
    if glyph in ROUND:
        return glyph in body
    return len(re.findall(rf"\s{re.escape(glyph)}\s", f" {body} ")) >= 2


def _join_block(block: list[str]) -> str:
    """A paragraph: wrapped lines joined by spaces, list lines kept on lines of their own."""
    out: list[str] = []
    for text in block:
        if starts_bullet(text):
            # One list marker whatever the layout printed ("•", "–", "-"), so .txt and .pdf agree.
            out.append("- " + strip_bullet(text))
        elif out:
            out[-1] += " " + text
        else:
            out.append(text)
    return "\n".join(out)
