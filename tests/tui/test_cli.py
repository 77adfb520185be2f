"""`kompass tui` from the shell: registered, documented, and refusing to run without a terminal."""

from __future__ import annotations

from typer.testing import CliRunner

from kompass_search.cli import app


def test_tui_is_a_command_with_help() -> None:
    result = CliRunner().invoke(app, ["tui", "--help"])
    assert result.exit_code == 0
    assert "--index" in result.output and "--out" in result.output


def test_without_a_terminal_it_says_so_and_exits_1() -> None:
    result = CliRunner().invoke(app, ["tui"])
    assert result.exit_code == 1
    assert "error: kompass tui needs an interactive terminal" in result.output
