"""Audit a staged batch before it is published: reconciliation and the raw contract."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from assets.ingestion.batch import StagedBatch
from assets.quality.soda_gate import GateResult, verify_contract


@dataclass(frozen=True)
class BatchAudit:
    reconciles: bool
    contract: GateResult

    @property
    def passed(self) -> bool:
        return self.reconciles and self.contract.passed


def audit_staged_batch(staged: StagedBatch, contract_path: Path) -> BatchAudit:
    """Run the raw contract on the staged (not yet visible) Parquet through an in-memory DuckDB.

    A batch whose manifest declares zero rows (a quiet day's delta) has nothing to verify: its
    contract (which demands rows) is not run, and reconciliation alone gates it.
    """
    if staged.rows_in_manifest == 0:
        skipped = GateResult(contract=contract_path, passed=True, warnings=("empty batch: contract not run",))
        return BatchAudit(reconciles=staged.reconciles, contract=skipped)
    with duckdb.connect() as con:
        con.execute("create schema raw")
        glob = str(staged.raw_tmp / "*.parquet")
        con.execute(f"create view raw.{staged.spec.name} as select * from read_parquet('{glob}', union_by_name = true)")
        gate = verify_contract(con, contract_path)
    return BatchAudit(reconciles=staged.reconciles, contract=gate)
