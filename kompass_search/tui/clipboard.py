"""Whether the terminal takes an OSC 52 clipboard write; when it may not, citations go to a file."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping

# Terminals known to ignore OSC 52 (or to need a setting that is off by default).
_NO_OSC52_PROGRAMS = {"Apple_Terminal"}
_NO_OSC52_TERMS = {"linux", "dumb", "vt100", "vt220"}


def _tmux_forwards() -> bool:
    """tmux passes an application's OSC 52 on only with `set-clipboard on` (default: external)."""
    if shutil.which("tmux") is None:
        return False
    try:
        out = subprocess.run(
            ["tmux", "show-options", "-gv", "set-clipboard"],
            capture_output=True,
            text=True,
            timeout=1,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return out.stdout.strip() == "on"


def osc52_supported(env: Mapping[str, str] | None = None) -> bool:
    """A best guess from the environment; wrong guesses cost little since the notice says what happened."""
    env = os.environ if env is None else env
    if env.get("KOMPASS_CLIPBOARD") in ("osc52", "file"):
        return env["KOMPASS_CLIPBOARD"] == "osc52"
    if env.get("TERM_PROGRAM") in _NO_OSC52_PROGRAMS or env.get("TERM", "") in _NO_OSC52_TERMS:
        return False
    if env.get("TMUX"):
        return _tmux_forwards()
    if env.get("VTE_VERSION") and not env.get("TERM_PROGRAM"):
        return False  # GNOME Terminal and other VTE terminals ignore OSC 52
    return bool(env.get("TERM"))
