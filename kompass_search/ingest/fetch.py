"""Reports from the web: one download with a timeout, a size limit and a check of what came back."""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import IngestError
from .text import looks_binary

MAX_BYTES = 50 * 1024 * 1024  # the largest published report PDFs are ~5 MB
TIMEOUT = 30.0  # seconds without a byte from the server
TOTAL_TIMEOUT = 300.0  # seconds for the whole download
_CHUNK = 64 * 1024


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _file_name(url: str, kind: str) -> str:
    name = unquote(Path(urlsplit(url).path).name)
    name = re.sub(r"[^\w.\-]+", "-", name).strip(".-") or "report"
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".pdf", ".txt")) else name
    return f"{stem[:100]}.{kind}"


def _kind(data: bytes, url: str) -> str:
    """'pdf' or 'txt' by content, never by the server's word or the address."""
    if data.startswith(b"%PDF"):
        return "pdf"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512]:
        raise IngestError(
            "the address gives a web page (HTML), not a report; link the report's PDF itself", url
        )
    if looks_binary(data):
        raise IngestError("the address gives binary data that is no PDF; check the link", url)
    return "txt"


def download(
    url: str,
    folder: Path,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    total_timeout: float | None = None,
) -> Path:
    """Fetch ``url`` (redirects followed) into ``folder``; IngestError naming the url otherwise."""
    timeout = TIMEOUT if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    total_timeout = TOTAL_TIMEOUT if total_timeout is None else total_timeout
    req = urllib.request.Request(url, headers={"User-Agent": "kompass-search (report ingest)"})
    limit_mb = max_bytes / 1024 / 1024
    too_big = f"the answer is larger than {limit_mb:g} MB; download the report yourself and ingest the file"
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            final = resp.geturl()
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IngestError(too_big, url)
            data = bytearray()
            while chunk := resp.read(_CHUNK):
                data += chunk
                if len(data) > max_bytes:
                    raise IngestError(too_big, url)
                if time.monotonic() - start > total_timeout:
                    raise TimeoutError
    except urllib.error.HTTPError as e:
        raise IngestError(
            f"the server answered {e.code} {e.reason}; check the address", url
        ) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError | socket.timeout):
            raise IngestError(_stalled(timeout), url) from None
        raise IngestError(f"cannot reach the server ({e.reason}); check the address", url) from None
    except TimeoutError:
        raise IngestError(_stalled(timeout), url) from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # reset, bad URL, cut answer
        raise IngestError(f"download failed ({type(e).__name__}); try again", url) from None
    if not data.strip():
        raise IngestError("the address gives an empty answer; check the link", url)
    kind = _kind(bytes(data), url)
    path = folder / _file_name(final, kind)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return path


def _stalled(timeout: float) -> str:
    return f"the server stopped answering (no data for {timeout:g} s); try again later"
