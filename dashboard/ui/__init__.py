"""The only Streamlit code: the frame app.py draws (frame), the legacy-routing workaround
(routing), the pieces pages share (widgets), grids sent when opened (grids), the briefing mode
(briefing), the phone layout (phone) and the app's CSS (style).

Pages import this package as `ui` and use the names below.
"""
from . import grids, phone, snapshots_panel, style
from .frame import (
                    context,
                    ensure_snapshot,
                    filter_sidebar,
                    gate,
                    load_choices,
                    navigation_pages,
                    open_snapshot,
                    page_filters,
                    set_context,
)
from .widgets import (  # noqa: I001
                    DEMO_BADGE,
                    cached,
                    chart,
                    community_scope,
                    csv_download,
                    deferred,
                    delta_or_none,
                    empty_state,
                    fail,
                    guarded_query,
                    help_for,
                    page_data,
                    require,
                    stamp,
                    url_selectbox,
)

__all__ = ["grids", "phone", "style", "context", "ensure_snapshot", "filter_sidebar", "gate", "load_choices", "navigation_pages",
           "open_snapshot", "page_filters", "set_context", "DEMO_BADGE", "cached", "chart", "community_scope", "csv_download", "deferred",
           "delta_or_none", "empty_state", "fail", "guarded_query", "help_for", "page_data", "require", "snapshots_panel", "stamp",
           "url_selectbox"]
