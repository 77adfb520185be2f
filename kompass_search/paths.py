"""Where things live: the shipped corpus, the default index, the model cache, the config file."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_config_dir

_PKG = Path(__file__).resolve().parent
_CHECKOUT = _PKG.parent  # the repository root when running from a source checkout


def in_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "corpus").is_dir()


def shipped_corpus() -> Path:
    """The corpus that comes with kompass-search (real reports and published results only)."""
    if in_checkout():
        return _CHECKOUT / "corpus"
    return _PKG / "_shipped" / "corpus"


def default_index() -> Path:
    """index/ beside the shipped corpus in a checkout, else a user cache directory."""
    if in_checkout():
        return _CHECKOUT / "index"
    return Path(user_cache_dir("kompass-search")) / "index"


def model_cache() -> Path:
    env = os.environ.get("KOMPASS_MODEL_DIR")
    if env:
        return Path(env)
    return Path(user_cache_dir("kompass-search")) / "models"


def data_cache() -> Path:
    """Where the parsed copies of the package's YAML data files are kept (datafiles.py)."""
    return Path(user_cache_dir("kompass-search")) / "data"


def default_config() -> Path:
    env = os.environ.get("KOMPASS_CONFIG")
    if env:
        return Path(env)
    return Path(user_config_dir("kompass-search")) / "config.yaml"
