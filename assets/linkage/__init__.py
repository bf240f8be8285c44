"""Probabilistic person linkage: the engine behind `ndc link` and the master person index.

Public API: :func:`link`, :func:`dedupe` (see :mod:`assets.linkage.engine`).
"""

from assets.linkage.engine import LinkageResult, choose_threshold, dedupe, link

__all__ = ["LinkageResult", "choose_threshold", "dedupe", "link"]
