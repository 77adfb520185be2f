"""Property tests of the corpus YAML loader and `check`: any file gives an Evaluation or a one-line CorpusError.

Three sources of files: YAML-ish text built from the tokens corpus files are made of (keys,
scalars YAML reads in surprising ways, tags, anchors, flow collections, bad indentation); the
real vannas-2016.yaml with one field replaced by a random value; and the same file with random
text edits. Whatever loads must also pass through `check` (validate.py) without an exception.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from kompass_search.corpus import load_file
from kompass_search.errors import CorpusError
from kompass_search.validate import check_corpus, check_evaluation

from ._support import ROOT, assert_kompass_error, count, examples


def _shrunk() -> dict[str, Any]:
    """vannas-2016.yaml with one item per text list and two subquestions per area: every field is
    kept, at a sixth of the bytes (the loader is pure Python; its time is the test's time)."""
    data = yaml.safe_load((ROOT / "corpus" / "vannas-2016.yaml").read_text(encoding="utf-8"))
    for area in data["areas"]:
        for key in ("topics", "summary", "strengths", "improvements"):
            area[key] = area[key][:1]
    data["subquestions"] = [s for s in data["subquestions"] if int(s["id"].split(".")[1]) <= 2]
    return data


def _dump(data: Any) -> str:
    # libyaml when present: the test's own writing is not under test, the project's reading is
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


VANNAS_MAP = _shrunk()
VANNAS_LINES = _dump(VANNAS_MAP).splitlines()

KEYS = [
    "format", "municipality", "country", "year", "template", "language", "date", "evaluators",
    "total", "score_only", "source", "kind", "title", "publisher", "file", "url", "note", "areas",
    "number", "theme", "name", "score", "max", "overview", "achieved", "percent", "topics",
    "summary", "strengths", "improvements", "subquestions", "id", "<<", "? complex", "",
]  # fmt: skip
SCALARS = [
    "NO", "no", "yes", "on", "off", "y", "n", "~", "null", "true", "False", "0x1F", "0o17", "1_000",
    "1e400", "-1e400", ".inf", "-.inf", ".nan", "2016-01-01", "2016-01-01T10:00:00Z", "12:30:00",
    "0", "-1", "100", "101", "99999999999999999999999", "2.5", "2.10", "1.2.3", "²", "٢.٥",
    "'quoted'", '"esc \\u00e4 \\x00"', "|", ">-", "&a x", "*a", "*undefined", "!!binary aGVq",
    "!!set {a, b}", "!!omap [a: 1]", "!!python/object:os.system {}",
    "!!python/object/apply:os.system ['echo pwned']", "!!python/name:os.system", "!custom 1",
    "!!str 5", "!!int x", "!!float abc", "[]", "{}", "[1, [2, {3: 4}]]", "{a: b, c: [d]}",
    "skl-2010", "skr-2020", "ks-2010", "skl-1999", "SE", "sv", "democracy", "Vännäs", "report",
]  # fmt: skip
INDENT = st.sampled_from(["", "", "  ", "    ", "- ", "  - ", "\t", " "])
text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
scalar = st.one_of(st.sampled_from(SCALARS), text, st.integers().map(str), st.floats().map(str))
yaml_line = st.one_of(
    st.tuples(INDENT, st.sampled_from(KEYS), st.sampled_from([": ", ":", ": !!str "]), scalar).map(
        "".join
    ),
    st.tuples(INDENT, st.sampled_from(KEYS), st.just(":")).map("".join),
    st.tuples(INDENT, scalar).map("".join),
    st.sampled_from(["---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "#", "\ufeff", "", "? a"]),
)
yamlish = st.lists(yaml_line, max_size=40).map("\n".join)

# Values that a hand edit (or a bad tool) could put in a field, as Python data for safe_dump.
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.sampled_from(["NO", "2.5", "x.1", "².1", "9.1", "0.0", "-1.1", "1.", ".5", "1.2.3", "١.٢"]),
)
value = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


PATHS = [p for p in _paths(VANNAS_MAP) if p]


@st.composite
def field_mutation(draw: st.DrawFn) -> str:
    """vannas-2016.yaml with one to three fields replaced by random values, or deleted."""
    data = copy.deepcopy(VANNAS_MAP)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            if draw(st.integers(0, 4)) == 0:
                del node[path[-1]]
            else:
                node[path[-1]] = draw(value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced the parent
    return _dump(data)


@st.composite
def text_mutation(draw: st.DrawFn) -> str:
    """vannas-2016.yaml with random line edits: dropped, doubled, re-indented, cut, spliced."""
    lines = list(VANNAS_LINES)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        op = draw(st.sampled_from(["drop", "double", "indent", "cut", "insert", "truncate"]))
        if not lines:
            lines = [draw(yaml_line)]
        elif op == "drop":
            del lines[i : i + draw(st.integers(1, 30))]
        elif op == "double":
            lines[i:i] = lines[i : i + draw(st.integers(1, 30))]
        elif op == "indent":
            lines[i] = draw(INDENT) + lines[i].lstrip(" ")
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "insert":
            lines.insert(i, draw(yaml_line))
        else:
            lines = lines[:i]
    return "\n".join(lines)


def _load(folder: Path, body: str | bytes, name: str, *, check_folder: bool = False) -> None:
    path = folder / "fuzz-2016.yaml"
    if isinstance(body, str):
        path.write_text(body, encoding="utf-8")
    else:
        path.write_bytes(body)
    try:
        ev = load_file(path)
    except Exception as e:
        assert_kompass_error(e, name)
        assert isinstance(e, CorpusError), repr(e)
        assert str(e).startswith(f"{path}: "), f"message does not name the file: {e}"
    else:
        check_evaluation(ev)
    if check_folder:  # `kompass check` on a folder holding the file: findings, never an exception
        problems = check_corpus(folder)
        assert problems and all("\n" not in str(p) for p in problems)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for all examples of a test (each example overwrites the file)."""
    return tmp_path_factory.mktemp("fuzz")


@examples(1500)
@given(yamlish)
@example("!!python/object/apply:os.system ['touch pwned']")
@example("municipality: !!python/object/new:os.system [echo pwned]")
@example("a: &x [*x]")
@example("\ufeff%YAML 1.1\n---\nyear: 2016-01-01")
@example("date: 2016-13-45")
@example("x: " + "[" * 5000 + "]" * 5000)
def test_loader_on_yaml_like_text(folder: Path, body: str) -> None:
    count("corpus: YAML-like text")
    cwd = os.getcwd()
    os.chdir(folder)  # a `touch pwned` that ran would show up here
    try:
        _load(folder, body, "corpus: YAML-like text", check_folder=True)
    finally:
        os.chdir(cwd)
    assert not (folder / "pwned").exists()


@examples(300)
@given(field_mutation())
def test_loader_on_vannas_with_random_field_values(folder: Path, body: str) -> None:
    count("corpus: vannas-2016 with random field values")
    _load(folder, body, "corpus: vannas-2016 with random field values")


@examples(300)
@given(st.one_of(text_mutation(), text_mutation().map(lambda t: t.encode("latin-1", "replace"))))
def test_loader_on_vannas_with_random_text_edits(folder: Path, body: str | bytes) -> None:
    count("corpus: vannas-2016 with random text edits")
    _load(folder, body, "corpus: vannas-2016 with random text edits")
