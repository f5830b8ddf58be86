"""The deterministic, clearly labelled demo dataset (演示数据)."""
