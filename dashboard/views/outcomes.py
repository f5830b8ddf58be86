"""成效评估: from action to outcome — 未诉先办 leads and their follow-up, the items no complaint
preceded, before/after estimates of completed actions, and the community × month association.

Every figure here is an estimate or an association, and says so; see views/effects.py and
views/association.py for the methods.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core import periods
from . import association, effects, topics
from .context import Context
from .party import horizon

LEADS_SHOWN = 500


@dataclass(frozen=True)
class Leads:
    """How many leads of the window are acted on, not acted on, or still in their follow-up period;
    线索转化率 over the leads whose follow-up period is over."""

    acted: int
    not_acted: int
    pending: int

    @property
    def total(self) -> int:
        return self.acted + self.not_acted + self.pending

    @property
    def waiting(self) -> int:
        """Leads not followed up (yet): 未跟进 and 跟进期内 — the rows of waiting_leads."""
        return self.not_acted + self.pending

    @property
    def rate(self) -> float:
        """线索转化率 = leads acted on ÷ (acted on + not acted on); leads still in their follow-up period wait."""
        done = self.acted + self.not_acted
        return self.acted / done if done else float("nan")


def lead_params(ctx: Context) -> dict:
    """The parameters of leads, lead_states and waiting_leads for the context's window and places."""
    return dict(start=ctx.window.start, end=ctx.window.end, **ctx.place_params(),
                followup_days=ctx.settings.lead_followup_days, horizon=horizon(ctx))


def leads(ctx: Context) -> Leads:
    """未诉先办 leads arising in the window, counted by whether an item or whistle followed."""
    row = ctx.run("lead_states", **lead_params(ctx)).iloc[0]
    return Leads(int(row["acted"]), int(row["not_acted"]), int(row["pending"]))


def waiting_leads(ctx: Context, limit: int = LEADS_SHOWN) -> pd.DataFrame:
    """The first `limit` leads of the window not followed up (yet), oldest first (the page's table; its
    CSV holds all of them)."""
    return ctx.run("waiting_leads", **lead_params(ctx), limit=limit)


def proactive_items(ctx: Context) -> pd.DataFrame:
    """Items started in the window that no ticket (so no lead) of their community and category preceded."""
    return ctx.run("proactive_items", start=ctx.window.start, end=ctx.window.end, **ctx.place_params(),
                   lookback_days=ctx.settings.lead_followup_days)


def data_weeks(ctx: Context) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The Mondays of the first and last whole weeks of data."""
    first = effects.monday(ctx.choices.first_day)
    if first < pd.Timestamp(ctx.choices.first_day):
        first += effects.WEEK
    last = effects.monday(ctx.choices.as_of)
    if last + pd.Timedelta(days=6) > pd.Timestamp(ctx.choices.as_of):
        last -= effects.WEEK
    return first, last


@dataclass(frozen=True)
class Effects:
    """The actions estimated (one row per action and comparison), their pooled estimates per program and
    category, and overall (kind 事项 or 吹哨 × comparison)."""

    per_action: pd.DataFrame
    pooled: pd.DataFrame
    overall: pd.DataFrame


def action_effects(ctx: Context, programs: tuple[str, ...] = ()) -> Effects:
    """Before/after estimates of the completed actions of the selected streets, categories and programs."""
    actions = ctx.run("effect_actions", streets=list(ctx.state.streets), categories=list(ctx.state.categories),
                      programs=list(programs))
    first, last = data_weeks(ctx)
    # the weeks of the actions' own (community, category) pairs: their comparison communities are among them
    pairs = actions[["community_id", "category_l1"]].drop_duplicates().sort_values(["community_id", "category_l1"])
    communities, categories = pairs["community_id"].tolist(), pairs["category_l1"].tolist()   # not a walk of Arrow
    weekly = ctx.run("community_weekly", communities=communities, categories=categories, start=first.date(),
                     end=last.date())
    population = ctx.run("circle_communities").set_index("community_id")["population"]
    w = ctx.settings.effect_weeks
    per = effects.action_effects(actions, weekly, population, first_week=first, last_week=last, weeks=w,
                                 pairs=zip(communities, categories))
    # items and whistles apart: a whistle is a call to act, an item is the work done
    kind = per.assign(kind=per["program"].where(per["program"] == "吹哨", "事项")) if len(per) else per
    overall = effects.pooled(kind, by=("kind",), weeks=w)
    return Effects(per, effects.pooled(per, weeks=w), overall)


def panel_window(ctx: Context) -> periods.Window:
    """The months of the association panel: `panel_months` ending with the window's month, within the data."""
    end = ctx.window.end
    start = max(periods.add_months(end.replace(day=1), 1 - ctx.settings.panel_months), ctx.choices.first_day)
    return periods.Window(start, end)


def associations(ctx: Context) -> pd.DataFrame:
    """Coefficients (相关) of the community × month panel, with 95 % intervals."""
    w = panel_window(ctx)
    return association.estimate(ctx.run("community_month_panel", start=w.start, end=w.end), ctx.settings)


def default_topic(tracker: pd.DataFrame) -> str | None:
    """The topic shown when the link names none: the latest of the window."""
    ids = topics.district(tracker)["topic_id"]
    return ids.iloc[-1] if len(ids) else None


def page(ctx: Context, programs: tuple[str, ...] = (), topic: str | None = None) -> dict:
    """Every section of the page, as the page draws them (the bench times this)."""
    lv = leads(ctx)
    out = {"leads": lv, "waiting_leads": waiting_leads(ctx) if lv.waiting else None, "proactive": proactive_items(ctx)}
    tracker = topics.tracker(ctx)
    topic = topic or default_topic(tracker)
    out["topics"] = tracker
    if topic:
        out["topic_items"] = topics.topic_items(ctx, topic)
    return out | {"effects": action_effects(ctx, programs), "association": associations(ctx)}
