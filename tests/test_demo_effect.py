"""The demo's 每月一题 topics (monthly_topics) and, for issue 13's estimates, its action items."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from dashboard.demo import generator as demo

END = "2025-12"


@pytest.fixture(scope="module")
def data():
    return demo.build(end=END)


def test_started_on_is_filled_for_every_item_under_way_or_over(data):
    items = data.static["action_items"].to_pandas()
    begun = items[items["status"].isin(["实施", "完成", "未完成"])]
    assert len(begun) and begun["started_on"].notna().all()
    done = items[items["status"] == "完成"]
    assert done["done_on"].notna().all() and (done["done_on"] >= done["started_on"]).all()


def test_every_topic_of_the_items_is_a_monthly_topic(data):
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


def test_topics_are_deterministic(data):
    assert demo.build(end=END).static["monthly_topics"].equals(data.static["monthly_topics"])
