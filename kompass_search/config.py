"""Configuration (YAML): corpus, index, model and ranking weights; every key optional."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from . import paths
from .errors import ConfigError

DEFAULT_MODEL = "multilingual-e5-small"


@dataclass(frozen=True)
class Ranking:
    """rank_score = relevance * (relevance_weight + score_weight * score/100) / (relevance_weight + score_weight)."""

    relevance_weight: float = 0.7
    score_weight: float = 0.3
    candidates: int = 200  # passages retrieved per retrieval (dense, BM25) before ranking
    # calibrated relevance (0..1) below which a hit is a weak match, hidden unless asked for;
    # chosen on the tune split (search/calibrate.py): above every off-topic tuning query's best hit
    weak_below: float = 0.08


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
    explicit = path is not None
    path = path or paths.default_config()
    if not path.exists():
        if explicit:
            raise ConfigError("config file not found; check the --config path", path)
        return Config()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
    return replace(base, **kw)
