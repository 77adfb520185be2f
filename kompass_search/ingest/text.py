"""Reading a text report: UTF-8 only, with a precise message for the encodings people actually send."""

from __future__ import annotations

from pathlib import Path

from ..errors import IngestError


def looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 20


def decode_text(data: bytes, where: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(
            "text is UTF-16; save it as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8 IN > OUT`) and ingest again",
            where,
        )
    if looks_binary(data):
        raise IngestError(
            "binary data, not a text or PDF report; pass the report as .txt or .pdf", where
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError("text is not UTF-8; save it as UTF-8 and ingest again", where) from None
    raise IngestError(
        "text is not UTF-8 (it looks like Latin-1/Windows-1252); convert it with "
        "`iconv -f WINDOWS-1252 -t UTF-8 IN > OUT` and ingest again",
        where,
    )
