"""`kompass ingest DIR` and `kompass ingest https://...`: folders, the fidelity report, downloads.

Downloads are tested against a local http.server only (never the network): a good PDF, a
redirect to it, 404, an HTML page instead of a PDF, an oversized answer, a server that stalls.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kompass_search.cli import app
from kompass_search.corpus import load_corpus
from kompass_search.index.build import build_index
from kompass_search.index.reader import open_index
from kompass_search.ingest import fetch
from kompass_search.model.fake import HashingEmbedder

ROOT = Path(__file__).resolve().parents[2]
VANNAS = ROOT / "corpus" / "sources" / "vannas-2016-skl.txt"
REPORTS = ROOT / "tests" / "data" / "reports"
FICTIONAL = REPORTS / "angsmora-skr-2020-sv.txt"  # a made-up municipality
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _pdf_of(text: Path, pdf: Path) -> Path:
    spec = importlib.util.spec_from_file_location(
        "kompass_tests_pdfgen", ROOT / "tests" / "pdfgen.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.render_report_pdf(text, pdf)
    return pdf


# ---------------------------------------------------------------- folders


def test_folder_ingests_every_report_and_one_bad_file_does_not_stop_the_rest(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(VANNAS, folder / "a-vannas.txt")
    shutil.copy(FICTIONAL, folder / "b-angsmora.txt")
    (folder / "c-broken.pdf").write_bytes(b"not a pdf at all")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")
    out = tmp_path / "corpus"
    code, stdout, stderr = run("ingest", folder, "--out", out)
    assert code == 1  # one failed
    assert stderr.count("error: ") == 1 and "c-broken.pdf: named .pdf but is not a PDF" in stderr
    assert "Traceback" not in stdout + stderr
    assert {p.name for p in out.glob("*.yaml")} == {"vannas-2016.yaml", "angsmora-2022.yaml"}
    # progress on stderr, one line per file when not a terminal
    assert "1/3" in stderr and "3/3" in stderr
    # the summary table: file -> evaluation, warnings, counts
    table = stdout[stdout.index("file ") :].splitlines()
    assert table[1].startswith("a-vannas.txt") and "Vännäs 2016" in table[1]
    assert "48 strengths, 38 improvements" in table[1]
    assert "FAILED" in table[3]
    assert table[-1] == "2 ingested, 1 failed"


def test_folder_all_good_exits_0(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(VANNAS, folder / "vannas.txt")
    shutil.copy(FICTIONAL, folder / "angsmora.txt")
    code, stdout, stderr = run("ingest", folder, "--out", tmp_path / "corpus")
    assert code == 0, stderr
    assert stdout.splitlines()[-1] == "2 ingested, 0 failed"


# ---------------------------------------------------------------- the fidelity report


def test_fidelity_report_per_area(tmp_path: Path) -> None:
    code, stdout, _ = run("ingest", VANNAS, "--out", tmp_path)
    assert code == 0
    rows = {
        ln.split()[0]: ln.split()
        for ln in stdout.splitlines()
        if ln[:1].isdigit() or ln.startswith("all ")
    }
    assert rows["1"][:7] == ["1", "67", "Table", "1", "5", "7", "5"]
    assert rows["all"][:7] == ["all", "460", "stated", "45", "48", "38", "35"]
    assert "! 1" in next(ln for ln in stdout.splitlines() if ln.startswith("2 "))


def test_fidelity_json(tmp_path: Path) -> None:
    code, stdout, stderr = run("ingest", VANNAS, "--out", tmp_path, "--json")
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["failed"] == 0
    (rec,) = data["results"]
    fid = rec["fidelity"]
    assert (
        rec["evaluation"] == "vannas-2016" and fid["total"] == 460 and fid["total_from"] == "stated"
    )
    assert [a["score_from"] for a in fid["areas"]] == ["Table 1"] * 8
    assert sum(a["strengths"] for a in fid["areas"]) == 48
    assert sum(a["improvements"] for a in fid["areas"]) == 38
    assert sum(a["subquestions"] for a in fid["areas"]) == 45
    assert [a["expected_subquestions"] for a in fid["areas"]] == [5, 6, 5, 6, 6, 6, 5, 6]
    assert fid["areas"][1]["warnings"] and "area 2 scores 49" in fid["areas"][1]["warnings"][0]


def test_fidelity_warns_on_a_missing_subquestion_row(tmp_path: Path) -> None:
    text = VANNAS.read_text(encoding="utf-8")
    text = "\n".join(ln for ln in text.split("\n") if not ln.startswith("7.3\t"))
    path = tmp_path / "cut.txt"
    path.write_text(text, encoding="utf-8")
    code, stdout, _ = run("ingest", path, "--out", tmp_path / "c", "--json")
    assert code == 0
    area7 = json.loads(stdout)["results"][0]["fidelity"]["areas"][6]
    assert area7["subquestions"] == 4 and area7["expected_subquestions"] == 5
    assert any("4 subquestion rows, template skl-2010 has 5" in w for w in area7["warnings"])
    assert any("beyond rounding" in w for w in area7["warnings"])


def test_fidelity_warns_on_a_total_unlike_its_areas(tmp_path: Path) -> None:
    path = tmp_path / "total.txt"
    path.write_text(
        VANNAS.read_text(encoding="utf-8").replace("TOTALT\t460", "TOTALT\t470"), encoding="utf-8"
    )
    code, stdout, _ = run("ingest", path, "--out", tmp_path / "c", "--json")
    assert code == 0
    fid = json.loads(stdout)["results"][0]["fidelity"]
    assert fid["total"] == 470
    assert any("470 but the area scores add up to 460" in w for w in fid["warnings"])


# ---------------------------------------------------------------- downloads


class _Handler(BaseHTTPRequestHandler):
    pdf = b""
    stall = threading.Event()

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, code: int, body: bytes, ctype: str, length: int | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def handle(self) -> None:
        # the client hangs up on purpose (size limits, timeouts): not an error of the server's,
        # and socketserver would print it on stderr, which the CLI's output is checked on
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().finish()

    def do_GET(self) -> None:
        if self.path == "/files/angsmora-2022.pdf":
            self._send(200, self.pdf, "application/pdf")
        elif self.path == "/report":
            self.send_response(302)
            self.send_header("Location", "/files/angsmora-2022.pdf")
            self.end_headers()
        elif self.path == "/download?id=7":  # a text report behind an address without a name
            self._send(200, FICTIONAL.read_bytes(), "application/octet-stream")
        elif self.path == "/letter.txt":
            self._send(200, b"Hej!\n\nEtt brev om en fest.\n", "text/plain")
        elif self.path == "/page.pdf":
            self._send(
                200, b"<!DOCTYPE html><html><body>Rapporten</body></html>", "application/pdf"
            )
        elif self.path == "/huge.pdf":
            self._send(200, b"%PDF-1.4\n", "application/pdf", length=60 * 1024 * 1024)
        elif self.path == "/endless.pdf":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))
        elif self.path == "/stall.pdf":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"%PDF-1.4\n")
            self.wfile.flush()
            self.stall.wait(10)
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _Handler.pdf = _pdf_of(FICTIONAL, tmp_path_factory.mktemp("pdf") / "r.pdf").read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.stall.set()
    httpd.shutdown()
    httpd.server_close()


def test_download_a_good_pdf_follows_redirects_and_records_the_address(
    server: str, tmp_path: Path
) -> None:
    url = f"{server}/report"
    code, stdout, stderr = run("ingest", url, "--out", tmp_path)
    assert code == 0, stderr
    (yml,) = tmp_path.glob("*.yaml")
    data = yaml.safe_load(yml.read_text(encoding="utf-8"))
    assert data["source"]["url"] == url
    assert data["source"]["file"] == "sources/angsmora-2022.pdf"
    kept = tmp_path / "sources" / "angsmora-2022.pdf"
    assert kept.read_bytes() == _Handler.pdf
    assert f"{url}: Ängsmora" in stdout
    assert not list(Path(tmp_path).glob("kompass-download-*"))


def test_citations_of_a_downloaded_report_name_its_address(server: str, tmp_path: Path) -> None:
    url = f"{server}/report"
    code, _, stderr = run("ingest", url, "--out", tmp_path / "corpus")
    assert code == 0, stderr
    corpus = tmp_path / "corpus"
    build_index(load_corpus(corpus), tmp_path / "ix", HashingEmbedder(32), corpus=corpus)
    index = open_index(tmp_path / "ix")
    strength = next(i for i in range(index.count) if index.passage(i).kind == "strength")
    cite = index.citation(strength)
    assert cite.startswith("Ängsmora kommun 2022") and cite.endswith(f"{url}."), cite


def test_download_a_text_report_is_recognised_by_content(server: str, tmp_path: Path) -> None:
    code, _, stderr = run("ingest", f"{server}/download?id=7", "--out", tmp_path)
    assert code == 0, stderr
    assert (tmp_path / "sources" / "download.txt").read_bytes() == FICTIONAL.read_bytes()
    data = yaml.safe_load((tmp_path / "angsmora-2022.yaml").read_text(encoding="utf-8"))
    assert data["source"]["url"] == f"{server}/download?id=7"


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        ("/missing.pdf", "the server answered 404"),
        ("/page.pdf", "a web page (HTML), not a report"),
        ("/letter.txt", "no Kommunkompassen/Kommunekompasset structure found"),
        ("/huge.pdf", "larger than 50 MB"),
        ("/endless.pdf", "larger than 1 MB"),
        ("/stall.pdf", "stopped answering"),
    ],
)
def test_bad_downloads_are_one_line_and_write_nothing(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, expect: str
) -> None:
    if path == "/endless.pdf":
        monkeypatch.setattr(fetch, "MAX_BYTES", 1024 * 1024)
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    out = tmp_path / "corpus"
    started = time.monotonic()
    code, stdout, stderr = run("ingest", f"{server}{path}", "--out", out)
    assert code == 1
    assert stderr.startswith(f"error: {server}{path}: ") and stderr.count("\n") == 1, stderr
    assert expect in stderr
    assert "Traceback" not in stdout + stderr
    assert not out.exists()
    assert time.monotonic() - started < 8


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    code, _, stderr = run("ingest", "http://127.0.0.1:9/report.pdf", "--out", tmp_path / "c")
    assert code == 1 and stderr.count("\n") == 1 and "cannot reach the server" in stderr
