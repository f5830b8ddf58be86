"""core/frames.with_columns on a hand-built frame."""
import numpy as np
import pandas as pd

from dashboard.core.frames import with_columns


def test_new_columns_go_last_in_order_and_existing_ones_stay_where_they_are():
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}, index=[10, 20])
    out = with_columns(df, {"c": np.array([0.5, 1.5]), "a": [7, 8], "d": np.array([True, False])})
    assert list(out.columns) == ["a", "b", "c", "d"]
    assert out.index.tolist() == [10, 20]
    assert out["a"].tolist() == [7, 8] and out["c"].tolist() == [0.5, 1.5] and out["d"].tolist() == [True, False]
    assert out["d"].dtype == bool
    assert df["a"].tolist() == [1, 2] and list(df.columns) == ["a", "b"]     # the input is left alone


def test_the_same_frame_as_adding_the_columns_one_by_one():
    df = pd.DataFrame({"street": ["s1", "s2", "s3"], "n": [3, 0, 5]})
    by_hand = df.copy()
    by_hand["half"] = by_hand["n"] / 2
    by_hand["tag"] = pd.Series(["p", None, "q"], dtype=object)
    out = with_columns(df, {"half": np.array([1.5, 0.0, 2.5]), "tag": pd.Series(["p", None, "q"], dtype=object)})
    pd.testing.assert_frame_equal(out, by_hand, check_exact=True)


def test_only_existing_columns():
    df = pd.DataFrame({"a": [1.0]})
    pd.testing.assert_frame_equal(with_columns(df, {"a": [2.0]}), pd.DataFrame({"a": [2.0]}))
