"""Why a whole batch is refused."""

from __future__ import annotations


class BatchRejectedError(Exception):
    """The batch cannot be ingested at all; it is moved to the rejected area with this reason.

    ``rule`` is a stable machine-readable name (``manifest_missing``, ``checksum_mismatch`` …);
    ``detail`` is the one line an operator reads.
    """

    def __init__(self, rule: str, detail: str):
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.detail = detail
