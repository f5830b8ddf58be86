"""The party-building layer of the hand-built fixture (tests/fixture_data.py), small enough to
work every metric out by hand.  Data as of 2024-03-31; the tests look at March 2024.

Worked out for March 2024 (德胜 D, 什刹海 S; communities D1 D2 S1 S2):
- organisations active on 31 March (committees and the closed O11 left out): D 6 with 307 members,
  S 3 with 175; district-level 2 (O0, O9) with 40.  Project branches: 1 (O8).  Committees: 1.
- 结对覆盖率: D1, D2 have an active pairing (P1, P2), S1, S2 none -> 2/4 = 50 %; D 100 %, S 0 %.
  结对活跃率 (Q1 2024): P1 had 2 activities, P2 none -> 1/2 = 50 %.
- 共建项目 due in March (J4 cancelled, J5 due in April, J6 in February): J1 on time, J2 late, J3 not
  done and overdue -> 按期完成率 1/3; rated among done in March: J1 满意, J2 基本满意 -> 满意率 1/2.
- 吹哨: W1–W4 in March, W1 (48 h) and W2 (24 h) closed -> 办结率 2/4, median 36 h.
  强度: D 3 whistles / 10 tickets = 300 per 1,000; S 1 / 4 = 250.
- 报到 due in March: R1 on time, R2 late (45 min), R3 on time (no due_at: whistle + 30 min), R4
  and R5 never reported -> 按时报到率 2/5.  R7 (due 2 April, unreported) is not yet due on the
  data's last day: a window to 30 April still gives 2/5, not 2/6.
  By unit: U1 R2 R3 R5 -> 1/3, median 35 min; U2 R1 -> 1/1 (20 min); U3 R4 -> 0/1.
- 实事 planned for 2024 (I6 cancelled, I7 is 2023): I1–I5 -> done by 31 March I1, I2 = 2/5;
  on time (done by due_on) I1 only = 1/5.  为民实事 2/2 done, 1/2 on time.  D 2/3, S 0/2.
- 主动治理占比: March whistles W2 W3 and 2024 items I2 I3 I4 not from 12345 -> 5/9; D 4/6, S 1/3.
- 议事 in March: M1 (led to I2), M2, M3 -> 转化率 1/3; funnel 3 -> 1 立项 -> 1 办结.
"""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

DESHENG, SHICHAHAI = "110102010", "110102012"
D1, D2, S1, S2 = DESHENG + "001", DESHENG + "002", SHICHAHAI + "001", SHICHAHAI + "002"


def units() -> pd.DataFrame:
    return pd.DataFrame([
        dict(unit_id="U1", name_zh="区城市管理委员会", kind="区级部门", street_code=None),
        dict(unit_id="U2", name_zh="德胜街道城管执法队", kind="街道科站队所", street_code=DESHENG),
        dict(unit_id="U3", name_zh="西城供电公司", kind="企业", street_code=DESHENG),
        dict(unit_id="U4", name_zh="北京市第四中学", kind="学校", street_code=SHICHAHAI),
    ])


def party_orgs() -> pd.DataFrame:
    def org(oid, name, level, kind, street, community, members, parent=None, unit=None, set_up=date(2020, 1, 1),
            closed=None, project=None):
        return dict(org_id=oid, parent_org_id=parent, name_zh=name, level=level, kind=kind, street_code=street,
                    community_id=community, unit_id=unit, members=members, set_up_on=set_up, closed_on=closed,
                    project=project)
    return pd.DataFrame([
        org("O0", "中共北京市西城区委员会", "区", "党委", None, None, 0),
        org("O1", "德胜街道工委", "街道", "党委", DESHENG, None, 30, "O0"),
        org("O2", "什刹海街道工委", "街道", "党委", SHICHAHAI, None, 25, "O0"),
        org("O3", "德胜里社区党委", "社区", "党委", DESHENG, D1, 120, "O1"),
        org("O4", "新康社区党委", "社区", "党委", DESHENG, D2, 80, "O1"),
        org("O5", "西海社区党委", "社区", "党委", SHICHAHAI, S1, 60, "O2"),
        org("O6", "鼓楼苑社区党委", "社区", "党委", SHICHAHAI, S2, 90, "O2"),
        org("O7", "德胜里第一网格党支部", "网格", "党支部", DESHENG, D1, 15, "O3"),
        org("O8", "新康小区综合整治项目党支部", "社区", "项目党支部", DESHENG, D2, 12, "O4", set_up=date(2023, 5, 1),
            project="新康小区综合整治"),
        org("O9", "区城市管理委员会机关党支部", "单位", "机关企事业党支部", None, None, 40, unit="U1"),
        org("O10", "西城供电公司党支部", "单位", "机关企事业党支部", DESHENG, None, 50, unit="U3"),
        org("O11", "北京四中教工党支部", "单位", "机关企事业党支部", SHICHAHAI, None, 70, unit="U4",
            closed=date(2024, 1, 31)),
        org("O12", "德胜街道党建工作协调委员会", "街道", "党建协调委员会", DESHENG, None, 0, "O1"),
    ])


def pairings() -> pd.DataFrame:
    return pd.DataFrame([
        dict(pairing_id="P1", org_id="O9", community_id=D1, street_code=DESHENG, started_on=date(2023, 1, 1),
             ended_on=None),
        dict(pairing_id="P2", org_id="O10", community_id=D2, street_code=DESHENG, started_on=date(2023, 6, 1),
             ended_on=None),
        dict(pairing_id="P3", org_id="O10", community_id=S1, street_code=SHICHAHAI, started_on=date(2022, 1, 1),
             ended_on=date(2023, 12, 31)),
        dict(pairing_id="P4", org_id="O9", community_id=S2, street_code=SHICHAHAI, started_on=date(2024, 4, 15),
             ended_on=None),
    ])


def pairing_activities() -> pd.DataFrame:
    return pd.DataFrame([
        dict(pairing_id="P1", quarter_start=date(2024, 1, 1), activities=2),
        dict(pairing_id="P2", quarter_start=date(2024, 1, 1), activities=0),
        dict(pairing_id="P2", quarter_start=date(2023, 10, 1), activities=3),
        dict(pairing_id="P3", quarter_start=date(2023, 10, 1), activities=1),
    ])


def cobuild_projects() -> pd.DataFrame:
    def project(pid, title, unit, level, street, community, origin, end, status, done=None, rating=None,
                start=date(2024, 1, 1)):
        return dict(project_id=pid, title_zh=title, unit_id=unit, committee_level=level, street_code=street,
                    community_id=community, origin=origin, category="老旧小区改造", planned_start=start,
                    planned_end=end, status=status, done_on=done, rating=rating)
    return pd.DataFrame([
        project("J1", "德胜里楼道照明", "U3", "街道", DESHENG, D1, "需求清单", date(2024, 3, 15), "完成",
                date(2024, 3, 10), "满意"),
        project("J2", "新康社区充电桩", "U3", "街道", DESHENG, D2, "资源清单", date(2024, 3, 20), "完成",
                date(2024, 3, 25), "基本满意"),
        project("J3", "德胜街道背街小巷整治", "U1", "区", DESHENG, None, "需求清单", date(2024, 3, 28), "实施"),
        project("J4", "西海社区科普课堂", "U4", "社区", SHICHAHAI, S1, "资源清单", date(2024, 3, 5), "取消"),
        project("J5", "鼓楼苑助老服务", "U4", "社区", SHICHAHAI, S2, "需求清单", date(2024, 4, 30), "实施"),
        project("J6", "德胜里垃圾分类驿站", "U2", "街道", DESHENG, D1, "需求清单", date(2024, 2, 10), "完成",
                date(2024, 2, 1), "满意"),
    ])


def whistles() -> pd.DataFrame:
    def whistle(wid, street, community, level, trigger, source, l1, l2, at, closed=None, rating=None):
        return dict(whistle_id=wid, street_code=street, community_id=community, level=level, trigger=trigger,
                    source=source, category_l1=l1, category_l2=l2, lat=None, lon=None, whistled_at=at,
                    closed_at=closed, rating=rating)
    return pd.DataFrame([
        whistle("W1", DESHENG, D1, "街道工委", "群众诉求", "12345", "噪声扰民", "施工噪声", datetime(2024, 3, 5, 9),
                datetime(2024, 3, 7, 9), "满意"),
        whistle("W2", DESHENG, D2, "社区党委", "重点工作", "走访", "物业管理", "物业服务", datetime(2024, 3, 10, 10),
                datetime(2024, 3, 11, 10), "基本满意"),
        whistle("W3", DESHENG, D1, "网格党支部", "综合执法", "网格", "市容环卫", "违规占道", datetime(2024, 3, 20, 8)),
        whistle("W4", SHICHAHAI, S1, "街道工委", "应急处置", "12345", "供水排水", "管线抢修", datetime(2024, 3, 30, 22)),
        whistle("W5", SHICHAHAI, S2, "街道工委", "群众诉求", "12345", "噪声扰民", "施工噪声", datetime(2024, 2, 20, 9),
                datetime(2024, 2, 22, 9), "满意"),
    ])


def whistle_responses() -> pd.DataFrame:
    def resp(rid, wid, unit, level, due, reported=None, done=False, rating=None):
        return dict(response_id=rid, whistle_id=wid, unit_id=unit, unit_level=level, due_at=due, reported_at=reported,
                    done=done, rating=rating)
    return pd.DataFrame([
        resp("R1", "W1", "U2", "街道科站队所", datetime(2024, 3, 5, 9, 30), datetime(2024, 3, 5, 9, 20), True, "满意"),
        resp("R2", "W1", "U1", "区级部门", datetime(2024, 3, 5, 9, 30), datetime(2024, 3, 5, 9, 45), True, "基本满意"),
        resp("R3", "W2", "U1", "区级部门", None, datetime(2024, 3, 10, 10, 25), True, "满意"),
        resp("R4", "W3", "U3", "社会单位", datetime(2024, 3, 20, 8, 30)),
        resp("R5", "W4", "U1", "区级部门", datetime(2024, 3, 30, 22, 30)),
        resp("R6", "W5", "U2", "街道科站队所", datetime(2024, 2, 20, 9, 30), datetime(2024, 2, 20, 9, 10), True),
        resp("R7", "W4", "U2", "街道科站队所", datetime(2024, 4, 2, 10)),
    ])


def action_items() -> pd.DataFrame:
    def item(iid, title, program, category, l1, street, community, source, due, status, done=None, year=2024):
        return dict(item_id=iid, title_zh=title, program=program, category=category, category_l1=l1,
                    street_code=street, community_id=community, source=source,
                    topic_id="T2024-03-1" if program == "每月一题" else None, planned_year=year,
                    started_on=None, due_on=due, status=status, done_on=done)
    return pd.DataFrame([
        item("I1", "德胜里老年餐桌", "为民实事", "养老助餐", "养老助餐", DESHENG, D1, "12345", date(2024, 6, 30), "完成",
             date(2024, 3, 15)),
        item("I2", "新康社区停车改造", "为民实事", "停车管理", "交通管理", DESHENG, D2, "议事", date(2024, 2, 29), "完成",
             date(2024, 3, 10)),
        item("I3", "德胜里雨污分流", "重点提升事项", "市政设施", "供水排水", DESHENG, D1, "走访", date(2024, 12, 31), "实施"),
        item("I4", "西海周边环境整治", "一号工程", "环境整治", "市容环卫", SHICHAHAI, S1, "交办", date(2024, 12, 31), "计划"),
        item("I5", "鼓楼苑施工噪声治理", "每月一题", "噪声治理", "噪声扰民", SHICHAHAI, S2, "12345", date(2024, 3, 31),
             "未完成"),
        item("I6", "西海社区便民菜站", "为民实事", "便民服务", "市场管理", SHICHAHAI, S1, "网格", date(2024, 5, 31), "取消"),
        item("I7", "德胜里无障碍坡道", "为民实事", "无障碍", None, DESHENG, D1, "12345", date(2023, 12, 31), "完成",
             date(2023, 11, 30), 2023),
    ])


def deliberations() -> pd.DataFrame:
    def meeting(mid, platform, street, community, held, category, attendees, outcome, item=None):
        return dict(meeting_id=mid, platform=platform, street_code=street, community_id=community, held_on=held,
                    category=category, attendees=attendees, outcome=outcome, item_id=item)
    return pd.DataFrame([
        meeting("M1", "西城家园", DESHENG, D1, date(2024, 3, 2), "停车管理", 25, "完全赞同", "I2"),
        meeting("M2", "楼院议事", DESHENG, D2, date(2024, 3, 12), "环境整治", 12, "部分赞同"),
        meeting("M3", "楼门院示范点", SHICHAHAI, S1, date(2024, 3, 20), "便民服务", 8, "未通过"),
        meeting("M4", "楼院议事", SHICHAHAI, S2, date(2024, 2, 15), "噪声治理", 10, "完全赞同", "I5"),
    ])


def monthly_topics() -> pd.DataFrame:
    """每月一题 topics: March 2024's covers 噪声扰民 (all level-2) and 施工扰民's 夜间施工; April's 供暖's 室温不达标."""
    def topic(tid, year, month, title, l1, l2=None):
        return dict(topic_id=tid, year=year, month=month, title_zh=title, category_l1=l1, category_l2=l2)
    return pd.DataFrame([
        topic("T2024-03-1", 2024, 3, "噪声扰民治理", "噪声扰民"),
        topic("T2024-03-1", 2024, 3, "噪声扰民治理", "施工扰民", "夜间施工"),
        topic("T2024-04-1", 2024, 4, "供暖保障", "供暖", "室温不达标"),
    ])
