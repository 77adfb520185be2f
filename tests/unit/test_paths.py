"""paths.py answers as platformdirs does (it skips importing it on Linux: start-up)."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from kompass_search import paths


@pytest.mark.parametrize("xdg", [None, "", "  ", "/tmp/xdg-somewhere"])
def test_cache_and_config_dirs_are_platformdirs_answers(
    xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        if xdg is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, xdg)
    assert paths.user_cache_dir("kompass-search") == platformdirs.user_cache_dir("kompass-search")
    assert paths.user_config_dir("kompass-search") == platformdirs.user_config_dir("kompass-search")


def test_other_platforms_ask_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda app: f"/mac/caches/{app}")
    assert paths.user_cache_dir("kompass-search") == "/mac/caches/kompass-search"
