"""街道画像: one street against the district — KPIs, rank history, communities, categories, circles."""
import streamlit as st

from dashboard import ui
from dashboard.core import filters, fmt, metrics, periods
from dashboard.render import charts
from dashboard.views import analysis, tables

ctx = ui.context()
st.title("街道画像")
ui.stamp(ctx)

codes = list(ctx.choices.streets)
preferred = ctx.state.streets[0] if ctx.state.streets else codes[0]
lookup = filters.street_lookup(ctx.choices)
code = ui.url_selectbox("街道", codes, key="focus", default=preferred, format_func=ctx.choices.streets.get,
                        resolve=lambda v: lookup.get(v) or lookup.get(filters.normalize_name(v)))
name = ctx.choices.streets[code]

# --- KPIs against the district -------------------------------------------------------------
cur = ctx.run("street_counts", **ctx.params(streets=False))
prev = ctx.run("street_counts", **ctx.params(ctx.previous, streets=False))
ranked = analysis.ranked_streets(cur, prev, ctx.settings).set_index("street_code")
me, district = ranked.loc[code], metrics.totals(cur)
if me["tickets"] == 0:
    ui.empty_state(f"{name}在所选范围内没有工单。")
    st.stop()
rank_text = fmt.rank(me["rank"], int(ranked["rank"].notna().sum()))
st.markdown(f"**{name}** · 常住人口 {fmt.count(me['population'])} · 面积 {fmt.per(me['area_km2'], 2)} 平方公里 · "
            f"综合排名 **{rank_text}** · {me['class'] if isinstance(me['class'], str) else '未分类'}")
cols = st.columns(5)
district_per_10k = metrics.per_10k(district["tickets"], ranked["population"].sum())
cols[0].metric("每万人工单", fmt.per(me["per_10k"]), delta=ui.delta_or_none(fmt.signed(me['per_10k'] - district_per_10k)),
               delta_description="较全区", delta_color="inverse", border=True, help=ui.help_for("per_10k"))
for col, key in zip(cols[1:], ("response_rate", "resolution_rate", "satisfaction_rate")):
    col.metric(metrics.LABELS[key], fmt.rate(me[key]), delta=ui.delta_or_none(fmt.points(me[key] - district[key])),
               delta_description="较全区", border=True, help=ui.help_for(key))
cols[4].metric("综合成绩", fmt.score(me["score"]), delta=ui.delta_or_none(fmt.score_delta(me["score"] - district["score"])),
               delta_description="较全区", border=True, help=ui.help_for("score"))

# --- rank history ------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader("月度排名走势", help=ui.help_for("rank"))
    hist_start = periods.add_months(ctx.window.end.replace(day=1), -11)
    monthly = ctx.run("street_monthly", start=hist_start, end=ctx.window.end,
                     categories=list(ctx.state.categories), subs=list(ctx.state.subcategories))
    ranks = analysis.monthly_ranks(monthly, ctx.settings)
    mine = ranks[ranks["street_code"] == code].dropna(subset=["rank"])
    if mine.empty:
        ui.empty_state("近12个月样本不足，无法排名。")
    else:
        st.plotly_chart(charts.rank_history(mine, len(codes), name), key="profile_rank")
with right:
    st.subheader("诉求类别", help="本期与上期各一级类别工单量。")
    cats = ctx.run("category_growth", **{**ctx.params(), "streets": [code]}, prev_start=ctx.previous.start,
                  prev_end=ctx.previous.end, level=1)
    st.plotly_chart(charts.category_bars(cats), key="profile_categories")

# --- communities ----------------------------------------------------------------------------------
st.subheader("社区排行（每千人工单）", help="社区工单量 ÷ 社区人口 × 1000。")
comm = ctx.run("hotspot_communities", **{**ctx.params(), "streets": [code]}, min_population=0)
if comm.empty:
    ui.empty_state("所选范围内没有可归属到社区的工单。")
else:
    comm = metrics.add_rates(comm, ctx.settings)
    comm_table = tables.community_table(comm)
    st.dataframe(comm_table, hide_index=True, key="profile_communities",
                 column_config={"解决率": st.column_config.NumberColumn(format="percent", help=ui.help_for("resolution_rate")),
                                "满意率": st.column_config.NumberColumn(format="percent",
                                                                     help=ui.help_for("satisfaction_rate"))})
    ui.csv_download(comm_table, f"{name}社区排行", key="profile_communities_csv")

# --- circles ---------------------------------------------------------------------------------------
st.subheader("辖区内的便民生活圈")
circles = ctx.run("circles", streets=[code])
if circles.empty:
    ui.empty_state(f"{name}尚无十分钟便民生活圈。")
else:
    st.dataframe(circles[["name_zh", "walk_minutes", "launched_on", "facilities", "categories"]].rename(columns={
        "name_zh": "生活圈", "walk_minutes": "步行分钟", "launched_on": "建成日期", "facilities": "设施数",
        "categories": "业态种类"}), hide_index=True, key="profile_circles",
        column_config={"建成日期": st.column_config.DateColumn(format="YYYY-MM-DD")})
