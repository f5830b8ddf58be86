"""The snapshot store: SQL files loaded by name (pure), DuckDB over immutable Parquet snapshots, publish-time rollups."""
