"""Write hand-made landing batches with a correct manifest, for exact-count tests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

DC_HEADER = (
    "so_dinh_danh,so_cmnd_cu,ho_ten,ngay_sinh,gioi_tinh,ma_tinh_khai_sinh,ma_tinh_thuong_tru,"
    "ma_huyen_thuong_tru,ma_xa_thuong_tru,dia_chi_chi_tiet,so_dien_thoai,ma_ho_gia_dinh,quan_he_chu_ho,"
    "so_dinh_danh_cha,ho_ten_cha,so_dinh_danh_me,ho_ten_me,tinh_trang,ngay_mat,ngay_cap_nhat,thao_tac"
)


def dc_line(
    cccd: str,
    name: str = "Nguyễn Văn An",
    dob: str = "1990-05-17",
    sex: str = "Nam",
    ward: str = "00004",
    status: str = "con_song",
    op: str = "I",
    updated: str = "2025-11-01T08:00:00+07:00",
    phone: str = "0912345678",
) -> str:
    return (
        f'{cccd},,{name},{dob},{sex},01,01,,{ward},"Số 1, phố Huế",{phone},HGD{cccd[-6:]},chu_ho,'
        f",,,,{status},,{updated},{op}"
    )


def write_batch(
    landing_root: Path,
    source: str,
    batch_id: str,
    header: str,
    lines: Sequence[str],
    *,
    kind: str = "full",
    encoding: str = "utf-8",
    delimiter: str = ",",
    rows: int | None = None,
    schema_version: int = 1,
    manifest: bool = True,
) -> Path:
    batch_dir = landing_root / source / batch_id
    batch_dir.mkdir(parents=True, exist_ok=True)
    data = ("\n".join([header, *lines]) + "\n").encode(encoding)
    part = batch_dir / "part-00000.csv"
    part.write_bytes(data)
    if manifest:
        count = len(lines) if rows is None else rows
        (batch_dir / "_manifest.json").write_text(
            json.dumps(
                {
                    "source": source,
                    "batch_id": batch_id,
                    "kind": kind,
                    "extract_time": "2025-11-01T23:00:00+07:00",
                    "schema_version": schema_version,
                    "format": "csv",
                    "encoding": encoding,
                    "delimiter": delimiter,
                    "files": [
                        {
                            "name": part.name,
                            "rows": count,
                            "bytes": len(data),
                            "sha256": hashlib.sha256(data).hexdigest(),
                        }
                    ],
                    "row_count": count,
                }
            )
        )
    return batch_dir
