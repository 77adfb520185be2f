"""Where things live: the shipped corpus, the default index, the model cache, the config file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PKG = Path(__file__).resolve().parent
_CHECKOUT = _PKG.parent  # the repository root when running from a source checkout


def _xdg(var: str, fallback: str) -> str | None:
    # what platformdirs answers on Linux, without importing it on every command's way (start-up)
    if not sys.platform.startswith("linux"):
        return None
    base = os.environ.get(var, "").strip() or os.path.expanduser(fallback)
    return os.path.join(base, "kompass-search")


def user_cache_dir(app: str) -> str:
    """The user's cache directory for ``app`` ("kompass-search"), as platformdirs says."""
    if app == "kompass-search" and (linux := _xdg("XDG_CACHE_HOME", "~/.cache")):
        return linux
    import platformdirs

    return platformdirs.user_cache_dir(app)


def user_config_dir(app: str) -> str:
    """The user's config directory for ``app`` ("kompass-search"), as platformdirs says."""
    if app == "kompass-search" and (linux := _xdg("XDG_CONFIG_HOME", "~/.config")):
        return linux
    import platformdirs

    return platformdirs.user_config_dir(app)


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


def concept_cache() -> Path:
    """Where a search keeps the glossary concept vectors it embedded (index/concepts.py)."""
    return Path(user_cache_dir("kompass-search")) / "concepts"


def default_config() -> Path:
    env = os.environ.get("KOMPASS_CONFIG")
    if env:
        return Path(env)
    return Path(user_config_dir("kompass-search")) / "config.yaml"
