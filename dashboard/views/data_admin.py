"""数据管理: the data-health section (the import and snapshot sections read files, not queries)."""
from __future__ import annotations

import pandas as pd

from .context import Context


def health(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """数据体检: per-table rows, date ranges and gaps; tickets month by month."""
    return ctx.run("data_health"), ctx.run("data_health_months")


def page(ctx: Context) -> dict:
    """Every section of the page that queries the snapshot (the bench times this)."""
    return {"health": health(ctx)}
