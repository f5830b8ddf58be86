"""The party-building work, page by page: the 吹哨报到 register, 共建 and 结对, the 实事 progress
board and the 议事 funnel.  Each function returns what one section shows, given a Context."""
from __future__ import annotations

import pandas as pd

from ..core import schema
from . import ranking
from .context import Context
from .party import horizon, quarter_start, street_metrics

REGISTER_ROWS = 500     # whistles listed on screen (the CSV holds them all)


def _window(ctx: Context) -> dict:
    return {"start": ctx.window.start, "end": ctx.window.end, **ctx.place_params()}


def _limits(ctx: Context) -> dict:
    return {"horizon": horizon(ctx), "report_minutes": ctx.settings.whistle_report_minutes}


# --- 吹哨报到 ----------------------------------------------------------------------------------------

def whistle_register(ctx: Context, *, open_only: bool = False, limit: int = REGISTER_ROWS) -> pd.DataFrame:
    """The whistles raised in the window (newest first): open ones, or all of them."""
    return ctx.run("whistle_list", **_window(ctx), **_limits(ctx), open_only=open_only, limit=limit)


def unit_league(ctx: Context) -> pd.DataFrame:
    """The answering units over responses due in the window, with 按时报到率, best first; units
    below the sample floor are listed after the ranked ones."""
    units = ctx.run("whistle_units", **_window(ctx), **_limits(ctx))
    units["on_time_rate"] = units["responses_on_time"] / units["responses_due"].where(units["responses_due"] > 0)
    units["small"] = units["responses_due"] < ctx.settings.party_sample_min
    units["rank"] = units["on_time_rate"].where(~units["small"]).rank(ascending=False, method="min").astype("Int64")
    return units.sort_values(["rank", "responses_due"], ascending=[True, False], na_position="last") \
        .reset_index(drop=True)


def whistle_detail(ctx: Context, whistle_id: str) -> pd.DataFrame:
    """One whistle's 报到, unit by unit."""
    return ctx.run("whistle_responses", whistle_id=whistle_id, **_limits(ctx))


# --- 共建 and 结对 -----------------------------------------------------------------------------------

def projects(ctx: Context) -> pd.DataFrame:
    """The 共建项目 due in the window (one row each, with on_time, overdue and days_late)."""
    return ctx.run("cobuild_projects", **_window(ctx), as_of=ctx.choices.as_of)


def project_funnel(projects_df: pd.DataFrame) -> pd.DataFrame:
    """认领 → 实施 → 完成 → 按期完成 over the projects due (cancelled ones left out)."""
    live = projects_df[projects_df["status"] != "取消"]
    started = live["status"].isin(["实施", "完成", "未完成"])
    stages = [("认领", len(live)), ("实施", int(started.sum())), ("完成", int((live["status"] == "完成").sum())),
              ("按期完成", int(live["on_time"].sum()))]
    return pd.DataFrame(stages, columns=["stage", "projects"])


def overdue_by_unit(projects_df: pd.DataFrame) -> pd.DataFrame:
    """Overdue projects (not done, past their planned end) per unit, most first."""
    late = projects_df[projects_df["overdue"]]
    return (late.groupby(["unit", "unit_kind"], dropna=False)
            .agg(projects=("project_id", "size"), days_late_max=("days_late", "max"))
            .reset_index().sort_values(["projects", "days_late_max"], ascending=False).reset_index(drop=True))


def pairing_map(ctx: Context) -> pd.DataFrame:
    """Every community (of the selected streets and communities) with its running pairings and this
    quarter's activity."""
    return ctx.run("pairing_communities", end=ctx.window.end, quarter_start=quarter_start(ctx.window.end),
                   **ctx.place_params())


# --- 实事 progress board ----------------------------------------------------------------------------

def items(ctx: Context, programs: tuple[str, ...] = ()) -> pd.DataFrame:
    """The items planned for the window's year(s), each with its state on the window's last day."""
    return ctx.run("action_items", **_window(ctx), programs=list(programs))


def item_board(items_df: pd.DataFrame, street_names: dict) -> pd.DataFrame:
    """Street × program: planned (not cancelled), done, on time, late; with the completion rate."""
    live = items_df[items_df["status"] != "取消"]
    board = (live.groupby(["street_code", "program"])
             .agg(planned=("item_id", "size"), done=("done", "sum"), on_time=("on_time", "sum"), late=("late", "sum"))
             .reset_index())
    board["done_rate"] = board["done"] / board["planned"]
    board["street"] = board["street_code"].map(street_names)
    order = {p: i for i, p in enumerate(schema.PROGRAMS)}
    return board.sort_values(["street_code", "program"], key=lambda c: c.map(order) if c.name == "program" else c) \
        .reset_index(drop=True)


# --- 议事 funnel ------------------------------------------------------------------------------------

def meeting_funnel(ctx: Context) -> pd.DataFrame:
    """议事 → 达成共识 → 立项 → 办结, per platform and street."""
    return ctx.run("deliberation_funnel", **_window(ctx))


def funnel_totals(funnel_df: pd.DataFrame) -> pd.DataFrame:
    """The funnel's stages over all platforms and streets."""
    stages = [("议事", "meetings"), ("达成共识", "agreed"), ("立项", "to_item"), ("办结", "item_done")]
    return pd.DataFrame([(label, int(funnel_df[col].sum())) for label, col in stages], columns=["stage", "count"])


def whistles_page(ctx: Context, whistle: str | None = None) -> dict:
    """Every section of the 吹哨报到 page, as the page draws them (the bench times this); the drill
    shows `whistle`, else the newest whistle in view."""
    everything = whistle_register(ctx)
    out = {"open": whistle_register(ctx, open_only=True), "all": everything}
    whistle = whistle or (everything["whistle_id"].iloc[0] if len(everything) else None)
    if whistle:
        out["detail"] = whistle_detail(ctx, whistle)
    return out | {"units": unit_league(ctx)}


def cobuild_page(ctx: Context) -> dict:
    """Every section of the 共建结对 page."""
    return {"projects": projects(ctx), "streets": street_metrics(ctx), "shapes": ranking.street_shapes(ctx),
            "pairings": pairing_map(ctx)}


def items_page(ctx: Context, programs: tuple[str, ...] = ()) -> dict:
    """Every section of the 实事项目 page."""
    return {"items": items(ctx, programs)}


def deliberations_page(ctx: Context) -> dict:
    """Every section of the 议事协商 page."""
    return {"funnel": meeting_funnel(ctx)}
