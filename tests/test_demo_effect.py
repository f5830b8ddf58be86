"""The demo's planted, known effect (dashboard/demo/effect.py) and the 每月一题 topics.

Completed action items of PLANTED_CATEGORY thin that category's later tickets in their
community by PLANTED_SHARE.  The check is the estimate the dashboard will make, done plainly
here with pandas: for each community's first completed item of the category, its tickets of
the category in the K weeks before started_on and the K weeks after done_on, against the same
weeks in the communities with no completed item of the category up to the end of those weeks
(never or not yet treated).  The counterfactual after-count is the before-count times the
comparison communities' after/before ratio; the difference-in-differences is the relative
change against it: with the effect near −share, without it near zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from test_ingest import cli

from dashboard.demo import effect
from dashboard.demo import generator as demo
from dashboard.store import snapshot

END = "2025-12"
K_DAYS = 8 * 7
SMALL = dict(seed=7, end="2025-06", years=1, tickets=30_000)


def _tickets(data) -> pd.DataFrame:
    t = pa.concat_tables(data.ticket_batches()).select(["ticket_id", "created_at", "community_id", "category_l1"])
    return t.to_pandas()


@pytest.fixture(scope="module")
def builds():
    """The default-volume demo with the planted effect and without it (3 years to 2025-12)."""
    on, off = demo.build(end=END), demo.build(end=END, planted_effect=0)
    return on, _tickets(on), off, _tickets(off)


def first_done(items: pd.DataFrame, category: str) -> pd.DataFrame:
    """Each community's first completed item of `category` (earliest done_on)."""
    done = items[(items["status"] == "完成") & (items["category_l1"] == category) & items["community_id"].notna()]
    done = done.assign(done_on=pd.to_datetime(done["done_on"]), started_on=pd.to_datetime(done["started_on"]))
    return done.sort_values(["done_on", "item_id"]).drop_duplicates("community_id")


def did(data, tickets: pd.DataFrame, category: str, treated_by: str = effect.PLANTED_CATEGORY) -> tuple[float, int]:
    """(the relative difference-in-differences of `category`'s tickets around the first
    completed `treated_by` item of each community, the number of items used)."""
    items = first_done(data.static["action_items"].to_pandas(), treated_by)
    communities = pd.Index(data.static["communities"].to_pandas()["community_id"])
    t = tickets[(tickets["category_l1"] == category) & tickets["community_id"].notna()]
    first = pd.Timestamp(tickets["created_at"].min().date())
    last = pd.Timestamp(data.data_as_of)
    day = (t["created_at"].dt.normalize() - first).dt.days.to_numpy()
    row = communities.get_indexer(t["community_id"])
    n_days = (last - first).days + 1
    counts = np.zeros((len(communities), n_days + 1))
    np.add.at(counts, (row, day + 1), 1)
    cum = counts.cumsum(axis=1)            # cum[:, d] = tickets before day d

    def window(lo: pd.Timestamp, days: int) -> np.ndarray:
        a = (lo - first).days
        return cum[:, a + days] - cum[:, a]

    treated_from = pd.Series(items["done_on"].to_numpy(), index=items["community_id"]).reindex(communities)
    observed = expected = 0.0
    used = 0
    for _, it in items.iterrows():
        before_lo, after_lo = it["started_on"] - pd.Timedelta(days=K_DAYS), it["done_on"] + pd.Timedelta(days=1)
        after_end = after_lo + pd.Timedelta(days=K_DAYS)
        if before_lo < first or after_end > last + pd.Timedelta(days=1):
            continue
        control = (treated_from.isna() | (treated_from >= after_end)).to_numpy()
        if control.sum() < 20:
            continue
        b, a = window(before_lo, K_DAYS), window(after_lo, K_DAYS)
        me = communities.get_loc(it["community_id"])
        growth = a[control].sum() / b[control].sum()
        observed += a[me]
        expected += b[me] * growth
        used += 1
    return observed / expected - 1, used


def test_the_planted_effect_is_recovered_and_the_variant_without_it_shows_none(builds):
    on, t_on, off, t_off = builds
    with_effect, n = did(on, t_on, effect.PLANTED_CATEGORY)
    without, n_off = did(off, t_off, effect.PLANTED_CATEGORY)
    print(f"DiD with the effect {with_effect:+.3f}, without {without:+.3f} ({n} items)")
    assert n == n_off >= 100
    assert abs(with_effect + effect.PLANTED_SHARE) < 0.08
    assert abs(without) < 0.08


def test_other_categories_are_untouched(builds):
    on, t_on, off, t_off = builds
    other_on = t_on[t_on["category_l1"] != effect.PLANTED_CATEGORY].reset_index(drop=True)
    other_off = t_off[t_off["category_l1"] != effect.PLANTED_CATEGORY].reset_index(drop=True)
    pd.testing.assert_frame_equal(other_on, other_off)   # the very same tickets, not just as many
    for category in ("供暖", "噪声扰民"):
        assert abs(did(on, t_on, category)[0]) < 0.1, category


def test_only_planted_tickets_after_a_completed_item_are_removed(builds):
    on, t_on, off, t_off = builds
    gone = t_off[~t_off["ticket_id"].isin(t_on["ticket_id"])]
    assert set(t_on["ticket_id"]) <= set(t_off["ticket_id"])
    assert (gone["category_l1"] == effect.PLANTED_CATEGORY).all()
    items = first_done(on.static["action_items"].to_pandas(), effect.PLANTED_CATEGORY)
    since = gone["community_id"].map(dict(zip(items["community_id"], items["done_on"])))
    assert (gone["created_at"] >= since + pd.Timedelta(days=1)).all()
    exposed = t_off[t_off["category_l1"] == effect.PLANTED_CATEGORY]
    exposed = exposed[exposed["created_at"] >= exposed["community_id"].map(
        dict(zip(items["community_id"], items["done_on"]))) + pd.Timedelta(days=1)]
    assert len(gone) / len(exposed) == pytest.approx(effect.PLANTED_SHARE, abs=0.01)


def test_the_manifest_meta_names_the_effect(builds):
    on, _, off, _ = builds
    meta = on.meta["planted_effect"]
    assert meta["category"] == effect.PLANTED_CATEGORY and meta["share"] == effect.PLANTED_SHARE
    assert meta["completed_items"] >= 300 and meta["communities"] >= 100
    assert off.meta["planted_effect"]["share"] == 0.0
    assert on.meta["generator_version"] == demo.GENERATOR_VERSION
    with pytest.raises(ValueError):
        demo.build(**SMALL, planted_effect=1.5)


def test_the_effect_and_the_topics_are_deterministic():
    a, b = demo.build(**SMALL), demo.build(**SMALL)
    for x, y in zip(a.ticket_batches(), b.ticket_batches(), strict=True):
        assert x.equals(y)
    assert a.static["monthly_topics"].equals(b.static["monthly_topics"])
    other = demo.build(**{**SMALL, "planted_effect": 0.5})
    assert sum(t.num_rows for t in other.ticket_batches()) < sum(t.num_rows for t in a.ticket_batches())


def test_started_on_is_filled_for_every_item_under_way_or_over(builds):
    items = builds[0].static["action_items"].to_pandas()
    begun = items[items["status"].isin(["实施", "完成", "未完成"])]
    assert len(begun) and begun["started_on"].notna().all()
    done = items[items["status"] == "完成"]
    assert done["done_on"].notna().all() and (done["done_on"] >= done["started_on"]).all()


def test_every_topic_of_the_items_is_a_monthly_topic(builds):
    data = builds[0]
    items, topics = (data.static[n].to_pandas() for n in ("action_items", "monthly_topics"))
    used = set(items["topic_id"].dropna())
    assert used and used <= set(topics["topic_id"])
    assert (topics.groupby("year")["topic_id"].nunique().loc[[2024, 2025]] == 13).all()   # FACTS.md
    assert not topics.duplicated(["topic_id", "category_l1", "category_l2"]).any()
    monthly = items[items["program"] == "每月一题"].merge(topics, on="topic_id", suffixes=("", "_topic"))
    classified = monthly[monthly["category_l1"].notna()]
    assert (classified["category_l1"] == classified["category_l1_topic"]).all()
    assert (monthly["planned_year"] == monthly["year"]).all()
    assert set(pc.unique(pa.concat_tables(data.ticket_batches()).column("category_l1")).to_pylist()) >= set(
        topics["category_l1"])
    assert topics["title_zh"].str.len().between(4, 12).all()


def test_the_command_line_builds_the_variant_without_the_effect(capsys, tmp_path):
    code, out, _ = cli(capsys, "--data-dir", tmp_path, "demo", "--seed", "7", "--end", "2025-06", "--years", "1",
                       "--tickets", "20000", "--planted-effect", "0")
    assert code == 0, out
    planted = snapshot.current(tmp_path).manifest["details"]["generator"]["planted_effect"]
    assert planted["category"] == effect.PLANTED_CATEGORY and planted["share"] == 0.0


def test_where_and_from_when_the_effect_acts_by_hand():
    cat = effect.PLANTED_CATEGORY
    items = pd.DataFrame({
        "status": ["完成", "完成", "完成", "实施", "完成", "完成"],
        "category_l1": [cat, cat, "供暖", cat, cat, cat],
        "community_id": ["A", "A", "B", "C", None, "Z"],   # Z: not a community of the demo
        "done_on": pd.to_datetime(["2024-03-10", "2024-02-01", "2024-01-05", None, "2024-01-01", "2024-01-01"]),
    })
    p = effect.planted(items, np.array(["A", "B", "C"], dtype=object), 0.3)
    assert p.items == 2 and p.meta()["communities"] == 1
    assert p.from_us[0] == np.datetime64("2024-02-02", "us").astype(np.int64)   # the day after the first done
    assert (p.from_us[1:] == np.iinfo(np.int64).max).all()
    assert effect.planted(items, np.array(["A"], dtype=object), 0.0).share == 0.0
    with pytest.raises(ValueError):
        effect.planted(items, np.array(["A"], dtype=object), 1.0)
