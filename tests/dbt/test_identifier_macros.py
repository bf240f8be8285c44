"""The portable SQL identifier and phone macros agree with the well-kept libraries.

The macros are compiled by real dbt (`dbt compile --inline`) and run by DuckDB over generated values; the same
values go through python-stdnum (`stdnum.vn.mst`) and `phonenumbers`. A drift in phonenumbers' numbering plan
(a new mobile prefix) fails test_phone_prefixes_match_phonenumbers: refresh macros/phone_rules.sql from it.
"""

from __future__ import annotations

import random
import re

import duckdb
import phonenumbers
import pytest
from stdnum.vn import mst as stdnum_mst

from orchestration.environment import DBT_PROJECT_DIR
from tests.dbt_cli import project_flags

INLINE = """
select x,
    {{ mst_invalid_reason('x') }} as mst_reason,
    {{ vn_phone('x') }} as phone,
    {{ vn_phone_invalid_reason('x') }} as phone_reason,
    {{ bhxh_invalid_reason('x') }} as bhxh_reason,
    {{ health_card_invalid_reason('x', 'b') }} as card_reason,
    {{ cccd_invalid_reason('x', 'd', 's') }} as cccd_reason
from v
"""


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> str:
    import os

    from dbt.cli.main import dbtRunner

    work = tmp_path_factory.mktemp("macros")
    os.environ.setdefault("NDC_LAKE_ROOT", str(work / "lake"))
    old = os.environ.get("NDC_WAREHOUSE_PATH")
    os.environ["NDC_WAREHOUSE_PATH"] = str(work / "w.duckdb")
    try:
        res = dbtRunner().invoke(
            [
                "compile",
                "--inline",
                INLINE,
                *project_flags(work),
                "--quiet",
            ]
        )
    finally:
        if old is None:
            os.environ.pop("NDC_WAREHOUSE_PATH", None)
        else:
            os.environ["NDC_WAREHOUSE_PATH"] = old
    assert res.success, res.exception
    return res.result.results[0].node.compiled_code


def _run(sql: str, rows: list[tuple]) -> dict[str, tuple]:
    con = duckdb.connect()
    con.sql("create table v (x varchar, b varchar, d date, s varchar)")
    con.executemany("insert into v values (?, ?, ?, ?)", rows)
    return {r[0]: r[1:] for r in con.sql(sql).fetchall()}


def _mst_values(n: int, rng: random.Random) -> list[str]:
    out: set[str] = set()
    while len(out) < n:
        body = "".join(str(rng.randrange(10)) for _ in range(9))
        total = sum(w * int(c) for w, c in zip((31, 29, 23, 19, 17, 13, 7, 5, 3), body, strict=True)) % 11
        check = 10 - total
        kind = rng.randrange(6)
        if kind <= 1 and check < 10:
            v = body + str(check)  # valid
        elif kind == 2:
            v = body + str(rng.randrange(10))  # random check digit
        elif kind == 3 and check < 10:
            v = f"{body}{check}-{rng.randrange(0, 1000):03d}"  # branches (incl. 000)
        elif kind == 4:
            v = body[:2] + "0000000" + str(rng.randrange(10))  # zero body
        else:
            v = "".join(str(rng.randrange(10)) for _ in range(rng.choice([9, 10, 11, 13])))
        out.add(v)
    return sorted(out)


def test_mst_macro_agrees_with_python_stdnum(compiled: str) -> None:
    values = _mst_values(4000, random.Random(3))
    got = _run(compiled, [(v, None, None, None) for v in values])
    disagree = [(v, got[v][0]) for v in values if (got[v][0] is None) != stdnum_mst.is_valid(v)]
    assert not disagree, disagree[:10]
    assert sum(stdnum_mst.is_valid(v) for v in values) > 1000  # a fair share of valid codes


def _is_vn_mobile(national: str) -> bool:
    try:
        n = phonenumbers.parse(national, "VN")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(n) and phonenumbers.number_type(n) == phonenumbers.PhoneNumberType.MOBILE


def test_phone_macro_agrees_with_phonenumbers(compiled: str) -> None:
    rng = random.Random(5)
    values = {"0" + str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(8)) for _ in range(3000)}
    got = _run(compiled, [(v, None, None, None) for v in sorted(values)])
    disagree = [v for v in values if (got[v][1] is not None) != _is_vn_mobile(v)]
    assert not disagree, disagree[:10]
    # every written form of a valid number normalises to the same national form
    forms = {
        "+84 32 123 4567": "0321234567",
        "84321234567": "0321234567",
        "032.123.4567": "0321234567",
        "032 123 4567": "0321234567",
        "01621234567": "0321234567",
        "01201234567": "0701234567",
        "0241234567": None,
        "12345": None,
    }
    got = _run(compiled, [(v, None, None, None) for v in forms])
    assert {v: got[v][1] for v in forms} == forms
    assert got["12345"][2] == "not_a_vn_number" and got["0241234567"][2] == "unknown_prefix"


def mobile_prefixes(samples: int = 8, seed: int = 7) -> tuple[list[str], list[str], list[str]]:
    """Leading digits (after the 0) of VN mobile numbers by phonenumbers: the shortest 2/3/4-digit prefixes whose
    every sampled number is a valid MOBILE number (4 digits is exact for the current plan)."""
    rng = random.Random(seed)
    four = [
        f"{p:04d}"
        for p in range(1000, 10000)
        if all(_is_vn_mobile(f"0{p:04d}{rng.randrange(10**5):05d}") for _ in range(samples))
    ]
    four_set = set(four)
    three = sorted({p[:3] for p in four if all(f"{p[:3]}{d}" in four_set for d in range(10))})
    two = sorted({p[:2] for p in three if all(f"{p[:2]}{d}" in three for d in range(10))})
    three = [p for p in three if p[:2] not in two]
    four = [p for p in four if p[:3] not in three and p[:2] not in two]
    return two, three, four


def test_phone_prefixes_match_phonenumbers() -> None:
    text = (DBT_PROJECT_DIR / "macros" / "phone_rules.sql").read_text()
    lists = re.findall(r"macro vn_mobile_prefixes_\d\(\) -%}(.*?)endmacro", text, flags=re.S)
    found = tuple(re.findall(r"'(\d+)'", body) for body in lists)
    assert found == mobile_prefixes()


def test_bhxh_health_card_and_cccd_rules(compiled: str) -> None:
    import datetime as dt

    rows = [
        ("0112345678", None, None, None),  # BHXH ok
        ("011234567", None, None, None),  # 9 digits
        ("DN4010112345678", "0112345678", None, None),  # card ok, embeds the BHXH
        ("DN4010112345679", "0112345678", None, None),  # embeds another code
        ("DN6010112345678", None, None, None),  # benefit level 6
        ("001090000001", None, dt.date(1990, 5, 1), "M"),  # CCCD ok
        ("001190000001", None, dt.date(1990, 5, 1), "M"),  # G=1 odd: female
        ("003090000001", None, dt.date(1990, 5, 1), "M"),  # province 03 does not exist
        ("001090000001", None, dt.date(1991, 5, 1), "M"),
        ("123456789", None, None, None),
    ]
    got = _run(compiled, rows)
    assert got["0112345678"][3] is None and got["011234567"][3] == "not_10_digits"
    assert got["DN4010112345678"][4] is None and got["DN4010112345679"][4] == "bhxh_mismatch"
    assert got["DN6010112345678"][4] == "bad_format"
    assert got["001190000001"][5] == "sex_mismatch" and got["003090000001"][5] == "unknown_province_code"
    assert got["123456789"][5] == "cmnd_in_cccd_field"
