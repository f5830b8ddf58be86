"""Exports: CSV that Excel opens with Chinese intact, and never as live formulas.

Every CSV the app writes (page downloads, the import's rejects files) goes through
`csv_bytes`, so the formula neutralising lives here and nowhere else.
"""
from __future__ import annotations

import pandas as pd

# A cell starting with one of these is read by Excel / WPS / LibreOffice as a formula
# (OWASP "CSV injection"); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells cannot become formulas; numeric columns stay numbers
    (a negative number is data, not a formula)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            out[col] = s.map(neutralise, na_action="ignore")
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM (Excel on Windows needs the BOM for Chinese),
    text cells neutralised against formula injection.  Lines end in CRLF (RFC 4180), so a
    cell holding a bare CR is quoted instead of breaking its row."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
