"""成效评估: from action to outcome — 未诉先办 leads, items no complaint preceded, what completed work
did to complaints (before/after, with intervals), and the community × month association."""
import streamlit as st

from dashboard import ui
from dashboard.core import fmt, schema
from dashboard.views import effects, outcome_tables, outcomes, topics

ctx = ui.context()
st.title("成效评估")
ui.stamp(ctx)
names = dict(ctx.choices.streets)
days = ctx.settings.lead_followup_days

# --- 未诉先办 leads -------------------------------------------------------------------------------
st.subheader("未诉先办线索与跟进", help=f"线索：同一地点同类诉求或同一来电人30天内≥3次，形成线索后{days}天内同社区同类别"
                                     "有实事项目开始或吹哨即为已跟进。线索转化率 = 已跟进 ÷（已跟进 + 未跟进）；仍在跟进期内的不计。")
lv = outcomes.leads(ctx)
c1, c2, c3, c4 = st.columns(4)
c1.metric("线索", f"{lv.total:,}", border=True)
c2.metric("线索转化率", fmt.rate(lv.rate), border=True, help=f"已跟进 {lv.acted:,} ÷（已跟进 {lv.acted:,} + 未跟进 {lv.not_acted:,}）")
c3.metric("未跟进", f"{lv.not_acted:,}", border=True)
c4.metric("跟进期内", f"{lv.pending:,}", border=True, help=f"形成不足{days}天、尚未跟进的线索。")
if ctx.access.can("staff"):
    if not lv.waiting:
        st.success("所选范围内的线索都已跟进。", icon=":material/check_circle:")
    else:
        table = outcome_tables.lead_table(outcomes.waiting_leads(ctx), names)
        st.caption(f"尚未跟进的线索，最早的在前（共 {lv.waiting:,} 条，表格显示前 {len(table):,} 条，全部见CSV）。")
        st.dataframe(table, hide_index=True, key="outcomes_leads", height=360)
        every = ui.deferred("waiting_leads", **outcomes.lead_params(ctx), limit=lv.waiting)
        ui.csv_download(lambda: outcome_tables.lead_table(every(), names), "未跟进线索", key="outcomes_leads_csv",
                        rows=lv.waiting)
else:
    st.info("线索明细需工作人员权限。", icon="🔒")

st.subheader("真正的未诉先办", help=f"开始前{days}天内，同社区同类别没有任何12345工单（因而也没有线索）的实事项目。")
proactive = outcome_tables.proactive_table(outcomes.proactive_items(ctx), names)
st.caption(f"所选期间开始的事项中有 {len(proactive):,} 项此前没有诉求。")
if len(proactive):
    st.dataframe(proactive, hide_index=True, key="outcomes_proactive", height=min(36 * len(proactive) + 40, 320))
    ui.csv_download(proactive, "未诉先办事项", key="outcomes_proactive_csv")

# --- 每月一题 -----------------------------------------------------------------------------------------
months = ctx.settings.topic_months
st.subheader("每月一题", help=f"每个题目所涉类别的12345工单（每万人），从题目当月起{months}个月，与上年同期相比；"
                            "以及归入该题目的任务和完成情况。")
ui.community_scope(ctx, "每月一题（题目按全区与街道跟踪）")
tracker = topics.tracker(ctx)
topic_rows = topics.district(tracker)
if topic_rows.empty:
    ui.empty_state("所选期间没有每月一题题目。")
else:
    st.dataframe(topics.table(topic_rows), hide_index=True, key="outcomes_topics",
                 height=min(36 * len(topic_rows) + 40, 400))
    ui.csv_download(topics.table(topic_rows), "每月一题", key="outcomes_topics_csv")
    titles = dict(zip(topic_rows["topic_id"], topic_rows["year"].astype(str) + "年" + topic_rows["month"].astype(str)
                      + "月 · " + topic_rows["title_zh"]))
    topic = ui.url_selectbox("查看题目", list(titles), key="topic", default=outcomes.default_topic(tracker),
                             format_func=titles.get)
    left, right = st.columns(2)
    with left:
        st.markdown("**各街道**")
        st.dataframe(topics.table(topics.by_street(tracker, topic), names), hide_index=True, key="outcomes_topic_streets")
    with right:
        items = topics.topic_items(ctx, topic)
        st.markdown(f"**归入该题目的任务**（{len(items)} 项，已完成 {int(items['done'].sum())} 项）")
        st.dataframe(items[["title_zh", "community", "status"]].fillna({"community": "—"}).rename(
            columns={"title_zh": "任务", "community": "社区", "status": "状态"}), hide_index=True,
            key="outcomes_topic_items")

# --- before / after --------------------------------------------------------------------------------
st.subheader("已完成的工作是否减少了诉求（前后对比）")
ui.community_scope(ctx, "前后对比与关联估计（估计需要全区的社区作比较）")
weeks = ctx.settings.effect_weeks
programs = st.pills("事项类别", (*schema.PROGRAMS, "吹哨"), selection_mode="multi", key="programs", bind="query-params")
ev = ui.cached(outcomes.action_effects, ctx, tuple(programs or ()))
st.markdown(
    f"**怎么比**：每项已完成的实事项目或已办结的吹哨，取同社区同类别开始前{weeks}周和办结后{weeks}周的12345工单"
    "（每千人每周），与两种对照相比：①同一时期**之后才开展同类事项的社区**（它们同样因诉求被选中，只是晚一些）；"
    "②本社区上年同期。本社区的变化减去对照的变化即“净变化”，按类别合并后给出95%区间。"
    "每个社区每类只评估第一项事项；共建项目没有12345类别，不参与。")
with st.expander("注意：这些是估计，不是证明", icon=":material/warning:", expanded=True):
    st.markdown(
        "- **回归均值**：事项往往因为诉求上升才立项，诉求随后自然回落也会显示为“下降”。\n"
        "- **天花板**：解决率、满意率已接近98%，难以再显著提高，这里只看工单量。\n"
        f"- **案例少**：合并后工单少于{effects.DID_MIN_TICKETS}件为“工单太少”；净变化在两倍标准误以内为“在随机波动范围内”。\n"
        "- **比较多**：同时比较许多类别时，约每20个“明显”结论中就可能有1个出于偶然。\n"
        "- **上年同期**会把全区逐年的升降一并算进来，两种对照结论不一致时，以“之后才开展的社区”为准并谨慎解读。")
if ctx.snapshot.is_demo:
    planted = ctx.snapshot.manifest.get("details", {}).get("generator", {}).get("planted_effect")
    if planted and planted.get("share"):
        st.caption(f"演示数据中预设了效果：{planted['category']}类{planted['rule']}（{planted['share']:.0%}），"
                   "用于检验本方法能否找回已知效果；真实数据中没有这样的预设。")
for row in ev.overall.sort_values(["kind", "comparison"], ascending=[False, True]).to_dict("records"):
    (st.success if row["status"] == "down" else st.info)(effects.overall_sentence(row))
if ev.pooled.empty:
    ui.empty_state(f"没有可评估的已完成事项：前后各需{weeks}周完整数据，且须在数据范围内。")
else:
    table = outcome_tables.effect_table(ev.pooled)
    st.dataframe(table, hide_index=True, key="outcomes_effects", height=min(36 * len(table) + 40, 460))
    ui.csv_download(table, "前后对比", key="outcomes_effects_csv")

# --- association ---------------------------------------------------------------------------------------
st.subheader("社区×月关联（相关，非因果）",
             help="各社区每月的结果（每千人工单、解决率、满意率）与投入（是否有在结对、完成共建项目数、议事场次、吹哨次数），"
                  "控制街道和月份固定效应，按社区聚类的标准误；95%区间。只说明是否相关，不说明谁导致谁，也不用于排名。")
w = outcomes.panel_window(ctx)
coefs = ui.cached(outcomes.associations, ctx)
if coefs.empty:
    ui.empty_state("数据太少，无法估计关联（至少需要60个社区×月）。")
else:
    st.caption(f"{w.label()}，{int(coefs['communities'].max())} 个社区。")
    table = outcome_tables.association_table(coefs)
    st.dataframe(table, hide_index=True, key="outcomes_association")
    ui.csv_download(table, "社区月度关联", key="outcomes_association_csv")
