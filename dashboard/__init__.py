"""红墙先锋 · 西城基层治理看板 — the engine: snapshots, queries, metrics, builders."""
