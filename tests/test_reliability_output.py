"""Issue 14, output that can hurt the reader: CSV formula injection and markup through imported names."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from dashboard.core import export

ROOT = Path(__file__).resolve().parent.parent


def test_csv_cells_that_start_a_formula_are_text_and_negative_numbers_stay_numbers():
    df = pd.DataFrame({
        "类别": ['=HYPERLINK("http://evil","x")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "+1", "\tx", "\rx"],
        "差值": [-5, -1, 0, 2, 3, 4],
        "比例": [-0.5, 0.1, 0.2, 0.3, 0.4, 0.5],
    })
    back = pd.read_csv(io.BytesIO(export.csv_bytes(df)), encoding="utf-8-sig", keep_default_na=False)
    assert all(v.startswith("'") for v in back["类别"])
    assert back["差值"].tolist() == [-5, -1, 0, 2, 3, 4]
    assert back["比例"].iloc[0] == -0.5
    assert df["类别"].iloc[0].startswith("=")  # the caller's frame is left alone


def test_every_csv_the_app_writes_goes_through_export_csv_bytes():
    """One place neutralises: no other module writes CSV on its own."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dashboard").rglob("*.py")
                 if p.name != "export.py" and re.search(r"\.to_csv\(|csv\.writer|DictWriter", p.read_text("utf-8"))]
    offenders += [str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")
                  if re.search(r"\.to_csv\(|csv\.writer|DictWriter", p.read_text("utf-8"))]
    assert offenders == []
