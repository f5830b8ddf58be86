"""便民生活圈: catchments on a map, completeness per circle, residents' coverage and the 缺什么补什么
list, and whether complaints about daily-life services changed where circles were built."""
import streamlit as st

from dashboard import ui
from dashboard.core import fmt
from dashboard.render import circle_maps, tables
from dashboard.views import circle_analysis as ca
from dashboard.views import circle_tables as ct
from dashboard.views import circles as circles_view

ALL = "全部生活圈"
MAP_HEIGHT, MAP_WIDTH = 760, 560   # the map column on a 1440-px screen is about 560 px wide
GAPS_SHOWN = 10                    # the 缺什么补什么 rows shown whole; every row is in the grid below and the CSV
SHARE = tables.Bar(1.0, fmt.rate)

ctx = ui.context()
s = ctx.settings
st.title("便民生活圈")
ui.stamp(ctx)
ui.community_scope(ctx, "便民生活圈（生活圈按街道规划）")

# --- data: the circles, facilities and communities of the selected streets ----------------------------
picked = ctx.state.streets
data = ui.page_data(circles_view.page, ctx)   # every section's numbers, once per view
sup = data["supply"]
circles, communities, facilities, radius = sup.circles, sup.communities, sup.facilities, sup.radius
comp, access, cat_cov = sup.assessment.completeness, sup.assessment.access, sup.assessment.category_coverage
if circles.empty and communities.empty:
    ui.empty_state("所选街道没有生活圈和社区数据。")
    st.stop()
st.markdown(f"**要点：** {sup.assessment.summary['headline']}")

with st.expander("口径与方法：步行范围怎么算、哪些业态、哪些诉求", icon=":material/info:"):
    st.markdown(
        f"- **步行范围**：没有路网数据，按直线距离估算：步行分钟 × {s.walk_m_per_min:g}米/分钟 ÷ 绕行系数 "
        f"{s.route_directness:g}。5分钟≈{radius[5]:.0f}米，8分钟≈{radius[8]:.0f}米，10分钟≈{radius[10]:.0f}米，"
        f"15分钟≈{radius[15]:.0f}米（直线）。\n"
        "- **可能高估**：直线缓冲区比真实路网可达范围大。已有研究对照路网等时圈发现，直线缓冲使生活圈面积高估约65%、"
        "可达设施数高估约337%。除以绕行系数只是粗略修正，覆盖率和完整度仍可能偏乐观；绕行系数可在设置中调整"
        "（`route_directness`）。\n"
        f"- **业态与时限**：{ca.TIER_NOTE}一类业态只有在其步行时限内有设施才算“有”。\n"
        f"- **诉求口径**：{ca.SERVICE_NOTE}")

# --- map ------------------------------------------------------------------------------------------------
c1, c2 = st.columns([1, 3])
names = [ALL, *circles.sort_values("circle_id")["name_zh"]]
focus_name = c1.selectbox("聚焦生活圈", names, key="circle", bind="query-params")
kinds = c2.pills("地图显示的业态", list(ca.CATEGORIES), selection_mode="multi", default=list(ca.CATEGORIES),
                 key="kinds", bind="query-params")
focus_id = None if focus_name in (None, ALL) else circles.loc[circles["name_zh"] == focus_name, "circle_id"].iloc[0]
deck = circle_maps.circle_map(sup.streets, comp, access, facilities, radius_m=radius, kinds=tuple(kinds or ()),
                              street_names=dict(ctx.choices.streets), selected_streets=picked, focus=focus_id,
                              reach_m=radius[15], n_categories=len(ca.CATEGORIES), width=MAP_WIDTH,
                              height=MAP_HEIGHT)
map_col, side = st.columns([3, 2], gap="medium")
with map_col:
    ui.phone.pydeck_chart(deck, key="circles_map", width=MAP_WIDTH, height=MAP_HEIGHT)
with side:
    shown = facilities[facilities["category"].isin(kinds or ())]
    st.html(circle_maps.legend_html(shown["category"].value_counts().to_dict(), ca.TIER_MINUTES))
    boundary = "边界为示意" if ctx.choices.schematic_boundaries else "边界为导入的街道边界"
    st.caption(f"蓝圈为生活圈步行范围（直线估算，可能高估）；{boundary}。共 {len(circles)} 个生活圈、"
               f"{len(communities)} 个社区。悬停可看名称与缺项。")
    if focus_id is not None:
        st.markdown(f"**{focus_name}**：各业态最近设施")
        reach = sup.assessment.circle_reach
        st.html(tables.table_html(ct.circle_detail_table(reach[reach["circle_id"] == focus_id])))
    else:
        st.caption("在“聚焦生活圈”中选择一个生活圈，可放大地图并在此查看它每类业态的最近设施。")

# --- completeness -----------------------------------------------------------------------------------------
st.subheader("业态完整度", help="十类业态中，在各自步行时限内（从生活圈中心算）至少有一处设施的类数。"
                                  "设施不论登记在哪个生活圈，只看距离。")
if comp.empty:
    ui.empty_state("所选街道没有便民生活圈。")
else:
    n = len(ca.CATEGORIES)
    walk = "生活圈步行范围；" + "，".join(f"{m}分钟≈{radius[m]:.0f}米" for m in sorted(set(comp["walk_minutes"]))) + "（直线）"
    st.html(tables.table_html(ct.completeness_table(comp, ctx.choices.short_names),
                              bars={"业态得分": tables.Bar(n, lambda v: f"{v} / {n}")}, tips={"步行分钟": walk},
                              wrap=("缺项",)))

# --- coverage -----------------------------------------------------------------------------------------------
st.subheader("居民覆盖", help="社区（以社区点位代表）到每类业态最近设施的直线距离 × 绕行系数 ÷ 步速，"
                              "不超过该业态步行时限即为可达；按社区人口加权。")
if communities.empty:
    ui.empty_state("所选街道没有社区数据。")
else:
    total = ca.coverage(access, by=None).iloc[0]
    top = ca.top_gap(cat_cov)
    k1, k2, k3 = st.columns(3)
    k1.metric("十类业态全覆盖的居民", fmt.rate(total["share"]), border=True,
              help="步行时限内可达全部十类业态的社区人口 ÷ 所选范围社区总人口。")
    k1.caption(f"{fmt.count(total['covered_residents'])} / {fmt.count(total['residents'])} 人")
    k2.metric("有缺项的社区", f"{int(total['gap_communities'])} / {int(total['communities'])}", border=True,
              help="至少缺一类业态（时限内无设施）的社区数。")
    k3.metric("缺口最大的业态", top["category"] if top is not None else "无", border=True,
              help="时限内无此业态设施的居民最多的一类。")
    if top is not None:
        k3.caption(f"{int(top['tier_minutes'])}分钟内没有，涉及 {int(top['lacking_communities'])} 个社区 "
                   f"{fmt.count(top['lacking_residents'])} 人")
    left, right = st.columns(2)
    with left:
        st.markdown("**各业态可达居民占比**")
        st.html(tables.table_html(ct.category_table(cat_cov), bars={"可达居民占比": SHARE}))
    with right:
        st.markdown("**各街道全覆盖占比**")
        st.html(tables.table_html(ct.coverage_table(ca.coverage(access), ctx.choices.streets),
                                  bars={"全覆盖占比": SHARE}))

    st.subheader("缺什么补什么：社区缺项清单", help="每行是一个社区缺少的一类业态，按受影响居民（社区人口）排序。")
    gap_list = data["gaps"]
    if gap_list.empty:
        st.success("所选范围内每个社区都能在步行时限内到达全部十类业态。", icon=":material/check_circle:")
    else:
        gap_table = ct.gaps_table(gap_list)
        top = f"，下表为受影响居民最多的{GAPS_SHOWN}项" if len(gap_table) > GAPS_SHOWN else ""
        st.caption(f"共 {len(gap_table)} 项缺口，涉及 {gap_list['community_id'].nunique()} 个社区{top}。"
                   "“最近同类设施”为直线距离折算的步行分钟，供选址参考。")
        st.html(tables.table_html(gap_table.head(GAPS_SHOWN)))
        if len(gap_table) > GAPS_SHOWN:   # the whole list, sortable and searchable, sent once it is opened
            ui.grids.when_opened(f"查看全部 {len(gap_table)} 项缺口", gap_table, key="circles_gaps",
                                 expander_key="circles_gaps_all", hide_index=True,
                                 height=min(38 * len(gap_table) + 40, 460))
        ui.csv_download(gap_table, "生活圈缺项清单", key="circles_gaps_csv")

# --- supply and demand ------------------------------------------------------------------------------------------
st.subheader("生活服务类诉求：圈内与圈外", help=ca.SERVICE_NOTE)
io = data["inside_outside"]
if io is None:
    kinds_text = "、".join(ca.SERVICE_L1 + ca.SERVICE_L2)
    ui.empty_state(f"所选类别不含生活服务类诉求（{kinds_text}），无法比较。" if ctx.state.categories or
                   ctx.state.subcategories else f"快照中没有生活服务类诉求（{kinds_text}），无法比较。")
    st.stop()
if io["tickets"].sum() == 0:
    ui.empty_state("所选时间和街道范围内没有生活服务类诉求。")
else:
    i, o = io.loc["inside"], io.loc["outside"]
    a, b, c = st.columns(3)
    a.metric("圈内 每千人", fmt.per(i["per_1k"], 2), border=True,
             help="统计期内，点位在已建成生活圈步行范围内的社区：生活服务类工单 ÷ 人口 × 1000。")
    a.caption(f"{int(i['communities'])} 个社区 {fmt.count(i['residents'])} 人，{int(i['tickets']):,} 件")
    b.metric("圈外 每千人", fmt.per(o["per_1k"], 2), border=True, help="不在任何已建成生活圈步行范围内的社区。")
    b.caption(f"{int(o['communities'])} 个社区 {fmt.count(o['residents'])} 人，{int(o['tickets']):,} 件")
    ratio = i["per_1k"] / o["per_1k"] if o["per_1k"] > 0 else float("nan")
    c.metric("圈内 ÷ 圈外", "—" if ratio != ratio else f"{ratio:.2f} 倍", border=True,
             help="小于1表示圈内居民反映的生活服务问题相对较少。")
    st.caption(f"统计期 {ctx.window.label()}；按统计期末已建成的生活圈划分圈内外。这是横向比较：生活圈选址、人口结构、"
               "商业密度都会影响结果，不能直接看作生活圈的效果——效果请看下面的前后对比。")

# --- before / after -----------------------------------------------------------------------------------------------
st.subheader("建圈前后对比（双重差分）")
st.markdown(
    f"**怎么比**：对每个生活圈，取建成当月之前{ca.DID_MONTHS}个整月和之后{ca.DID_MONTHS}个整月（建成当月为过渡期，不计），"
    "比较圈内社区每千人每月生活服务类诉求的变化；同期再看**没有生活圈的社区**（不在任何生活圈步行范围内）变化了多少。"
    "圈内的变化减去圈外的变化，就是“净变化”——季节、政策、全区趋势等同时影响两边的因素被抵消。"
    "净变化为负，说明建圈后圈内诉求相对减少。")
ba = data["before_after"]
if ba is None:
    no_month = ca.full_months(ctx.choices.first_day, ctx.choices.as_of) is None
    ui.empty_state("数据不足一个完整月，无法做前后对比。" if no_month else "所选街道没有便民生活圈。")
    st.stop()
span, comparison, pooled = ba.span, ba.comparison, ba.pooled
if pooled is not None:
    m1, m2, m3 = st.columns(3)
    m1.metric("圈内变化（每千人每月）", f"{pooled['treated_post'] - pooled['treated_pre']:+.2f}", border=True)
    m2.metric("圈外变化（每千人每月）", f"{pooled['control_post'] - pooled['control_pre']:+.2f}", border=True)
    m3.metric("净变化", f"{pooled['did']:+.2f}", border=True,
              help=f"圈内变化 − 圈外变化；随机误差约 ±{ca.DID_Z * pooled['se']:.2f}（泊松计数的两倍标准误）。")
(st.info if pooled is None or pooled["status"] in ("noise", "too_small") else st.success)(ct.did_sentence(pooled))
evaluated = ct.did_table(comparison)
if len(evaluated):
    st.html(tables.table_html(evaluated, wrap=("结论",)))
skipped = ct.not_evaluated_text(comparison)
if skipped:
    st.caption(f"未评估：{skipped}。")
st.caption(
    f"数据范围 {span[0]:%Y-%m} 至 {span[1]:%Y-%m}（整月），不受上方时间范围筛选影响；街道和类别筛选仍适用，圈外对照始终为全区"
    f"没有生活圈的社区。判断规则：前后窗口任一端超出数据范围则不评估；圈内或圈外前后合计少于{ca.DID_MIN_TICKETS}件为"
    f"“样本太少”；净变化不超过两倍随机误差为“在随机波动范围内”。两个生活圈范围重叠、或同期有其他整治措施时，结果会混在一起。")
