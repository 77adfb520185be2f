"""Configuration (YAML): corpus, index, model and ranking weights; every key optional."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from . import datafiles, paths
from .errors import ConfigError

DEFAULT_MODEL = "multilingual-e5-small"


@dataclass(frozen=True)
class Ranking:
    """rank_score = relevance * (relevance_weight + score_weight * score/100) / (relevance_weight + score_weight)."""

    relevance_weight: float = 0.7
    score_weight: float = 0.3
    candidates: int = 200  # passages retrieved per retrieval (dense, BM25) before ranking
    # calibrated relevance (0..1) below which a hit is a weak match, hidden unless asked for;
    # chosen on the tune split (search/calibrate.py prints it): the threshold keeping the most tune
    # queries' right answers net of off-topic tuning queries shown, the middle of its interval
    weak_below: float = 0.05


@dataclass(frozen=True)
class Config:
    corpus: Path = field(default_factory=paths.shipped_corpus)
    index: Path = field(default_factory=paths.default_index)
    model: str = DEFAULT_MODEL  # the default id, or a local sentence-transformers folder
    model_dir: Path = field(default_factory=paths.model_cache)
    mode: str = "dense"  # measured best on the labelled queries (README, Quality)
    ranking: Ranking = field(default_factory=Ranking)
    source: Path | None = None

    def with_overrides(self, corpus: Path | None = None, index: Path | None = None) -> Config:
        return replace(
            self,
            corpus=corpus if corpus is not None else self.corpus,
            index=index if index is not None else self.index,
        )


def load_config(path: Path | None = None) -> Config:
    """Read ``path`` (``--config``), else the default location if it exists, else defaults."""
    # --config and $KOMPASS_CONFIG name a file on purpose: a missing one is an error for both;
    # only the default location may be absent
    named = (
        "--config"
        if path is not None
        else "KOMPASS_CONFIG"
        if os.environ.get("KOMPASS_CONFIG")
        else None
    )
    path = path or paths.default_config()
    if not path.exists():
        if named:
            raise ConfigError(f"config file not found; check the {named} path", path)
        return Config()
    if path.is_dir():
        raise ConfigError(f"is a folder; point {named or 'the config'} at a config YAML file", path)
    try:
        raw = datafiles.parse(path.read_text(encoding="utf-8")) or {}  # libyaml: start-up time
    except OSError as e:
        raise ConfigError(
            f"cannot read ({e.strerror}); check the file's permissions", path
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ConfigError(
            f"not valid YAML ({_first_line(e)}); fix the file or remove it", path
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping of settings (corpus:, index:, model:, ...)", path)
    return _from_mapping(raw, path)


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _from_mapping(raw: dict[str, Any], path: Path) -> Config:
    known = {f.name for f in fields(Config)} - {"source"}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(
            f"unknown setting(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}",
            path,
        )
    base = Config(source=path)
    kw: dict[str, Any] = {}
    for key in ("corpus", "index", "model_dir"):
        if key in raw:
            kw[key] = (path.parent / Path(str(raw[key])).expanduser()).resolve()
    if "model" in raw:
        model = str(raw["model"])
        local = path.parent / Path(model).expanduser()
        kw["model"] = str(local.resolve()) if local.exists() else model
    if "mode" in raw:
        if raw["mode"] not in ("dense", "bm25", "hybrid"):
            raise ConfigError(f"mode: {raw['mode']!r} is not one of dense, bm25, hybrid", path)
        kw["mode"] = raw["mode"]
    if "ranking" in raw:
        r = raw["ranking"]
        if not isinstance(r, dict):
            raise ConfigError(
                "ranking: expected a mapping (relevance_weight:, score_weight:)", path
            )
        try:
            kw["ranking"] = Ranking(**{k: type(getattr(Ranking(), k))(v) for k, v in r.items()})
        except (TypeError, ValueError, AttributeError) as e:
            raise ConfigError(
                f"ranking: {e}; keys are {', '.join(f.name for f in fields(Ranking))}", path
            ) from None
        _check_ranking(kw["ranking"], path)
    return replace(base, **kw)


def _check_ranking(r: Ranking, path: Path) -> None:
    """Weights that rank: none negative and not both zero (else every rank is the same)."""
    for name in ("relevance_weight", "score_weight"):
        value = getattr(r, name)
        if not value >= 0 or value == float("inf"):  # NaN fails >= too
            raise ConfigError(f"ranking.{name}: {value:g} must be a number of 0 or more", path)
    if r.relevance_weight + r.score_weight == 0:
        raise ConfigError(
            "ranking: relevance_weight and score_weight are both 0, so every result would rank "
            "the same; give relevance_weight a positive value (default 0.7)",
            path,
        )
    if r.candidates < 1:
        raise ConfigError("ranking.candidates must be 1 or more", path)
    if not 0 <= r.weak_below <= 1:
        raise ConfigError(
            f"ranking.weak_below: {r.weak_below:g} must be a relevance from 0 to 1", path
        )
