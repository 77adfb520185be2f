"""Strength -> subquestion links: which scored subquestion a strength speaks to, and how sure that is.

The evidence, per area:

- **Dense similarity** of each strength to each subquestion's description: the "Rubriker" topic
  line printed for it, its title, and the glossary terms of the concepts these name
  ("Samarbete med civilsamhället: Hur samverkar ...? (civilsamhället, föreningsliv, ...)"), all
  embedded as e5 *queries* (symmetric similarity). The glossary is the lexical lever: it tells
  the small model that "föreningsliv" is civil society, not culture.
- **Shared concept**: a glossary concept named by the strength and by the topic line or title of
  exactly one subquestion of its area makes that subquestion ``CONCEPT_PRIOR`` times as likely
  ("Medborgardialog" names citizen dialogue, as only 1.4 "Dialog och medborgarmedverkan" does).
  A likelihood ratio, not a cosine bonus: it does not grow as the temperature falls.
- **Order**: evaluators list an area's strengths roughly in the order of its subquestions (their
  summary follows the Rubriker). The strengths of an area are read as a sequence whose hidden
  state is the subquestion; staying or moving on is likely, stepping back is not. The posterior
  of each subquestion given the whole sequence (forward-backward) lets one clear neighbour lift
  an unclear strength, and holds back a strength whose similarity points against the order.
- **Temperature, integrated out**: how many e-folds of evidence a cosine difference is worth is
  not something 48 labels can pin down (coverage jumps by 5 strengths between neighbouring
  values), so the posterior is averaged over temperatures from ``TEMPERATURE / SPREAD`` to
  ``TEMPERATURE * SPREAD`` (five, evenly spaced in log).
- **Margin**: the confidence of a link is that averaged posterior; a link is *stated* when it
  leads the runner-up's by ``THRESHOLD`` or more. A strength torn between two subquestions
  (0.45 / 0.40) is not stated, one that is the clear pick among many weak ones (0.45 / 0.10) is.

Below the threshold the strength belongs to its area only (the caller uses the area score).
Measured on the Vännäs 2016 report against 48 blind gold labels (tests/unit/test_linking.py,
``python tests/measure_answers.py``): see the README quality table, which also gives the
leave-one-area-out figure and what was tried and did not help (lexical overlap, the summary
sentence or paragraph that mentions the strength, a prior from the subquestions' scores, a
penalty on many strengths sharing one subquestion).

The texts and the lexical evidence (strength order, subquestion heads and descriptions, the
shared-concept prior) are made in link_texts.py.

Contract for the index build (the caller embeds; this module imports no model)::

    items = strength_items(ev)                      # [(area number, strength text)] in order
    descs = subquestion_descriptions(ev)            # {subquestion id: text}, ev.subquestions order
    sv = embedder.embed_queries([text for _, text in items])
    qv = embedder.embed_queries(list(descs.values()))
    links = link_strengths(ev, sv, qv)              # one Link per item, same order

Both matrices are L2-normalized float rows from the same model, embedded with the query prefix
("query: " for e5): strengths are embedded a second time here, as queries, besides their passage
embedding for search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..models import Evaluation
from .link_texts import CONCEPT_PRIOR, concept_priors, strength_items

if TYPE_CHECKING:
    from ..glossary import Concept

# lead of the best subquestion's confidence over the runner-up's needed to state a link, chosen on
# the 48 Vännäs labels before CONCEPT_PRIOR. With it, under both engines of the model: 29 stated,
# 28 right; the lowest stated lead is 0.33, the highest unstated wrong one 0.29.
THRESHOLD = 0.30
# e5 cosines are compressed: a cosine difference of 0.02 is about one e-fold of evidence ...
TEMPERATURE = 0.02
SPREAD = 2.0  # ... give or take a factor of 2: the posterior is averaged over that range
BACKWARD = 0.3  # weight of stepping back to an earlier subquestion, vs 1 for staying or moving on


@dataclass(frozen=True)
class Link:
    """The inferred link of one strength.

    ``subquestion`` is the stated link (None: the strength links to its area only); ``best`` is
    the most likely subquestion even when not stated. It is stated when ``margin``, the lead of
    its confidence over the runner-up's, reaches the threshold.
    """

    area: int
    text: str
    subquestion: str | None
    best: str | None
    confidence: float  # posterior probability of ``best`` (averaged over temperatures), 0..1
    runner_up: str | None
    runner_up_confidence: float
    similarity: float | None  # cosine of the strength to ``best``'s description

    @property
    def stated(self) -> bool:
        return self.subquestion is not None

    @property
    def margin(self) -> float:
        return self.confidence - self.runner_up_confidence


def temperatures(centre: float = TEMPERATURE, spread: float = SPREAD) -> np.ndarray:
    """Five temperatures from ``centre / spread`` to ``centre * spread``, evenly spaced in log."""
    return np.asarray(centre * spread ** np.linspace(-1.0, 1.0, 5))


def averaged_posteriors(
    sims: np.ndarray, temps: np.ndarray, backward: float, prior: np.ndarray | None = None
) -> np.ndarray:
    """The posteriors of an area's strengths (rows) over its subquestions, averaged over ``temps``;
    ``prior`` (same shape, default 1) weighs each strength's evidence."""
    gap = sims - sims.max(axis=1, keepdims=True)
    weight = np.ones_like(sims) if prior is None else prior
    return np.mean([_posteriors(np.exp(gap / t) * weight, backward) for t in temps], axis=0)


def _posteriors(evidence: np.ndarray, backward: float, stay: float = 1.0) -> np.ndarray:
    """Forward-backward over a left-to-right chain: P(subquestion of item t | all items). Moving on
    weighs 1, staying on a subquestion ``stay``, stepping back ``backward``."""
    n, k = evidence.shape
    trans = np.triu(np.ones((k, k)), 1) + stay * np.eye(k) + backward * np.tril(np.ones((k, k)), -1)
    trans /= trans.sum(axis=1, keepdims=True)
    fwd = np.zeros((n, k))
    bwd = np.ones((n, k))
    fwd[0] = evidence[0] / evidence[0].sum()
    for t in range(1, n):
        fwd[t] = (fwd[t - 1] @ trans) * evidence[t]
        fwd[t] /= fwd[t].sum()
    for t in range(n - 2, -1, -1):
        bwd[t] = trans @ (evidence[t + 1] * bwd[t + 1])
        bwd[t] /= bwd[t].sum()
    post = fwd * bwd
    return post / post.sum(axis=1, keepdims=True)


def link_strengths(
    ev: Evaluation,
    strength_vecs: np.ndarray,
    subquestion_vecs: np.ndarray,
    *,
    threshold: float = THRESHOLD,
    temperature: float = TEMPERATURE,
    spread: float = SPREAD,
    backward: float = BACKWARD,
    concept_prior: float = CONCEPT_PRIOR,
    glossary: Sequence[Concept] | None = None,
) -> list[Link]:
    """One Link per ``strength_items(ev)``, in that order (see the module docstring for inputs).

    A link is stated when its confidence leads the runner-up's by ``threshold`` or more;
    ``temperature`` is the centre of the range averaged over (``spread`` 1: that one alone);
    ``concept_prior`` weighs the subquestion that alone shares a ``glossary`` concept with the
    strength (1: no such weight; ``glossary`` None: the shipped one).

    Raises ValueError when the matrices do not match the evaluation's strengths and subquestions.
    """
    items = strength_items(ev)
    sv = np.asarray(strength_vecs, dtype=np.float64)
    qv = np.asarray(subquestion_vecs, dtype=np.float64)
    if sv.ndim != 2 or sv.shape[0] != len(items):
        raise ValueError(
            f"strength_vecs has shape {sv.shape}; need one row per strength ({len(items)})"
        )
    if (
        qv.ndim != 2
        or qv.shape[0] != len(ev.subquestions)
        or (items and qv.shape[1] != sv.shape[1])
    ):
        raise ValueError(
            f"subquestion_vecs has shape {qv.shape}; need one row per subquestion "
            f"({len(ev.subquestions)}) of the strengths' dimension"
        )
    ids = [s.id for s in ev.subquestions]
    prior = concept_priors(ev, glossary, concept_prior) if concept_prior != 1.0 else None
    links: list[Link] = []
    start = 0
    while start < len(items):
        number = items[start][0]
        end = start
        while end < len(items) and items[end][0] == number:
            end += 1
        cols = [j for j, s in enumerate(ev.subquestions) if s.area_number == number]
        if not cols:
            links += [
                Link(number, text, None, None, 0.0, None, 0.0, None) for _, text in items[start:end]
            ]
        else:
            sims = sv[start:end] @ qv[cols].T
            weight = prior[start:end][:, cols] if prior is not None else None
            post = averaged_posteriors(sims, temperatures(temperature, spread), backward, weight)
            for r, (_, text) in enumerate(items[start:end]):
                order = np.argsort(-post[r], kind="stable")
                b = int(order[0])
                ru = int(order[1]) if len(order) > 1 else None
                conf = float(post[r, b])
                ru_conf = float(post[r, ru]) if ru is not None else 0.0
                links.append(
                    Link(
                        area=number,
                        text=text,
                        subquestion=ids[cols[b]] if conf - ru_conf >= threshold else None,
                        best=ids[cols[b]],
                        confidence=conf,
                        runner_up=ids[cols[ru]] if ru is not None else None,
                        runner_up_confidence=ru_conf,
                        similarity=float(sims[r, b]),
                    )
                )
        start = end
    return links
