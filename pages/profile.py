"""街道画像: one street against the district — KPIs, rank history, communities, categories, circles."""
import streamlit as st

from dashboard import ui
from dashboard.core import filters, fmt, metrics
from dashboard.render import charts
from dashboard.views import effects, party, profile, ranking

ctx = ui.context()
st.title("街道画像")
ui.stamp(ctx)

codes = list(ctx.choices.streets)
lookup = filters.street_lookup(ctx.choices)
code = ui.url_selectbox("街道", codes, key="focus", default=profile.default_focus(ctx),
                        format_func=ctx.choices.streets.get,
                        resolve=lambda v: lookup.get(v) or lookup.get(filters.normalize_name(v)))
name = ctx.choices.streets[code]

# --- KPIs against the district -------------------------------------------------------------
ui.community_scope(ctx, "街道指标、排名与党建对比（社区排行按所选社区）")
ranked = ranking.ranked(ctx)      # the KPI cards' and the party section's, worked out once
s = profile.standing(ctx, code, ranked)
me, district = s.me, s.district
if me["tickets"] == 0:
    ui.empty_state(f"{name}在所选范围内没有工单。")
    st.stop()
st.markdown(f"**{name}** · 常住人口 {fmt.count(me['population'])} · 面积 {fmt.per(me['area_km2'], 2)} 平方公里 · "
            f"综合排名 **{fmt.rank(me['rank'], s.n_ranked)}** · "
            f"{me['class'] if isinstance(me['class'], str) else '未分类'}")
versus = {"per_10k": s.district_per_10k, **{k: district[k] for k in (*metrics.RATE_COLUMNS, "score")}}
for col, (key, theirs) in zip(st.columns(len(versus)), versus.items()):
    m = metrics.METRICS[key]
    col.metric(m.label, m.format(me[key]), delta=ui.delta_or_none(m.change(me[key], theirs)),
               delta_description="较全区", delta_color=m.delta_color, border=True, help=ui.help_for(key))

# --- rank history ------------------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader("月度排名走势", help=ui.help_for("rank"))
    mine = profile.rank_history(ctx, code)
    if mine.empty:
        ui.empty_state("近12个月样本不足，无法排名。")
    else:
        ui.chart(charts.rank_history(mine, len(codes), name), key="profile_rank")
with right:
    st.subheader("诉求类别", help="本期与上期各一级类别工单量。")
    ui.chart(charts.category_bars(profile.categories(ctx, code)), key="profile_categories")

# --- communities ----------------------------------------------------------------------------------
st.subheader("社区排行（每千人工单）", help="社区工单量 ÷ 社区人口 × 1000。")
comm_table = profile.communities(ctx, code)
if comm_table.empty:
    ui.empty_state("所选范围内没有可归属到社区的工单。")
else:
    st.dataframe(comm_table, hide_index=True, key="profile_communities",
                 column_config={"解决率": st.column_config.NumberColumn(format="percent", help=ui.help_for("resolution_rate")),
                                "满意率": st.column_config.NumberColumn(format="percent",
                                                                     help=ui.help_for("satisfaction_rate"))})
    ui.csv_download(comm_table, f"{name}社区排行", key="profile_communities_csv")

# --- circles ---------------------------------------------------------------------------------------
st.subheader("辖区内的便民生活圈")
circles = profile.circles(ctx, code)
if circles.empty:
    ui.empty_state(f"{name}尚无十分钟便民生活圈。")
else:
    st.dataframe(circles, hide_index=True, key="profile_circles",
                 column_config={"建成日期": st.column_config.DateColumn(format="YYYY-MM-DD")})

# --- party-building ----------------------------------------------------------------------------------
st.subheader("党建引领", help="本街道的党建指标与全区对比；" + ui.help_for("party_floor"))
standing = profile.party_standing(ctx, code, ranked)
if standing is None:
    ui.empty_state("当前快照没有党建引领数据。")
else:
    mine, whole = standing
    keys = party.HEADLINE_KEYS
    for col, key in zip([*st.columns(3), *st.columns(3)], keys):      # two rows of three: long labels
        m = metrics.PARTY_METRICS[key]
        small = "（样本不足）" if mine[f"{key}_small"] else ""
        col.metric(m.label, m.format(mine[key]) + small, delta=ui.delta_or_none(m.change(mine[key], whole[key])),
                   delta_description="较全区", delta_color=m.delta_color, border=True, help=ui.help_for(key))
    st.caption(f"党组织 {int(mine['orgs']):,} 个、党员 {int(mine['members']):,} 名；所选期间吹哨 {int(mine['whistles']):,} 次，"
               f"共建项目到期 {int(mine['projects_due']):,} 项，议事 {int(mine['meetings']):,} 场。")
    st.page_link("pages/party.py", label="查看各街道党建引领排名", icon=":material/flag:",
                 query_params=filters.to_params(ctx.state))

# --- from action to outcome ----------------------------------------------------------------------------
st.subheader("成效评估", help="本街道的未诉先办线索跟进，以及已完成事项前后诉求变化的估计（方法见“成效评估”页）。")
lv, ev = ui.cached(profile.outcome_standing, ctx, code)
a, b = st.columns([1, 2])
a.metric("线索转化率", fmt.rate(lv.rate), border=True,
         help=f"已跟进 {lv.acted:,} ÷（已跟进 {lv.acted:,} + 未跟进 {lv.not_acted:,}）；跟进期内 {lv.pending:,} 条不计。")
with b:
    rows = ev.overall[(ev.overall["comparison"] == "elsewhere") & (ev.overall["kind"] == "事项")]
    st.markdown("**前后对比（估计）：** " + (effects.overall_sentence(rows.iloc[0].to_dict()) if len(rows)
                                          else effects.sentence(None)))
st.page_link("pages/outcomes.py", label="查看成效评估", icon=":material/query_stats:",
             query_params=filters.to_params(ctx.state))
