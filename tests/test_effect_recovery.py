"""The before/after method finds the demo's planted effect, and finds nothing where none was planted.

The demo (dashboard/demo/data/effect.toml) thins 物业管理 tickets by 30 % in a community after its
物业管理 item is done.  The estimate against the communities that act later must hold the planted
change within its 95 % interval; the same build without the effect must be indistinguishable from 0.
"""
from __future__ import annotations

from dashboard.core.filters import FilterState
from dashboard.demo import effect
from dashboard.store import bootstrap, snapshot
from dashboard.views import effects, outcomes
from dashboard.views.context import choices_for, make_context

TICKETS = 400_000   # three years at about half the real volume: enough items and tickets, a fast build


def pooled_estimate(data_dir, planted):
    bootstrap.publish_demo(tickets=TICKETS, end="2026-10", data_dir=data_dir, planted_effect=planted)
    info = snapshot.current(data_dir)
    ctx = make_context(info, choices_for(info), FilterState(period="12m"))
    per = outcomes.action_effects(ctx).per_action
    pooled = effects.pooled(per[per["program"] != "吹哨"], by=("category_l1",))   # items plant, whistles don't
    return pooled[(pooled["category_l1"] == effect.PLANTED_CATEGORY) & (pooled["comparison"] == "elsewhere")].iloc[0]


def test_the_planted_effect_is_recovered_within_its_interval(tmp_path):
    row = pooled_estimate(tmp_path, None)
    planted = -effect.PLANTED_SHARE * row["treated_pre"]          # 30 % of the rate before, per 1,000 residents per week
    assert row["actions"] >= 50 and row["status"] == "down"
    assert row["lo"] <= planted <= row["hi"], (row["lo"], planted, row["hi"])
    assert effects.sentence({**row, "program": "事项"}).endswith("诉求相对明显减少。")


def test_no_planted_effect_is_indistinguishable_from_zero(tmp_path):
    row = pooled_estimate(tmp_path, 0.0)
    assert row["status"] == "noise" and row["lo"] <= 0 <= row["hi"]
    assert "与零无法区分" in effects.sentence({**row, "program": "事项"})
