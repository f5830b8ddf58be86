"""Deterministic, realistic demo data: streets, communities, circles, facilities, tickets.

`build(seed, end, years, tickets)` makes the static tables at once and a plan for the
tickets; `DemoData.ticket_batches()` then generates the tickets month by month, fully
vectorised, so ten million of them fit in a minute and a few hundred MB.  The same
arguments give byte-identical Arrow tables: every random draw comes from a numpy
Generator seeded by (seed, stream[, month]), never from global or hash-based state.

Calibration follows ../shared/reference/FACTS.md; constants carry its markers:
[S] sourced, [D] derived from sourced figures, [E] estimate / assumption.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from ..core import geo, limits, schema
from ..core.config import Settings
from ..core.reference import load_streets  # also read from here by ui and tests/test_demo.py

GENERATOR_VERSION = "demo-1"

# Random streams: each part of the data draws from its own Generator, so changing one part
# (say, the facility list) leaves the others byte-identical.
_STREAM_COMMUNITIES, _STREAM_CIRCLES, _STREAM_FACILITIES, _STREAM_PLAN, _STREAM_MONTH = range(1, 6)

# --- volume -------------------------------------------------------------------------------
_TICKETS_LAST_YEAR = 271_400   # Xicheng 2024 [S]; the last 12 months of the demo get this
_YEARLY_GROWTH = 0.03          # volume grows a little each year [E]
# Tickets per resident relative to a residential street: visitors, commuters and shops
# call about places they do not live in [E].
_VISITOR_FACTOR = {"大栅栏": 2.4, "西长安街": 1.9, "什刹海": 1.8, "金融街": 1.6}
_COMMUNITY_SPREAD_SD = 0.25    # lognormal spread of tickets per resident between communities [E]
_HOTSPOTS = 6                  # communities that call 3–5× as often, every month [E]
_HOTSPOT_FACTOR = (3.2, 4.8)
_STREET_MONTH_VOLUME_SD = 0.06  # lognormal month-to-month volume wobble of a street [E]
_DAY_NOISE_SD = 0.07           # lognormal day-to-day wobble (weather, news) [E]
_WEEKDAY_FACTOR = (1.05, 1.04, 1.03, 1.02, 1.00, 0.80, 0.76)  # Mon..Sun [E]
# Lunar new year's day (Spring Festival), real dates; offsets from it -> volume factor [E]
_LUNAR_NEW_YEAR = tuple(np.array(["2019-02-05", "2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22",
                                  "2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26",
                                  "2029-02-13", "2030-02-03"], dtype="datetime64[D]"))
_SPRING_FESTIVAL_DIP = {-2: 0.8, -1: 0.5, 0: 0.4, 1: 0.45, 2: 0.5, 3: 0.55, 4: 0.6, 5: 0.7, 6: 0.8}
_STORM_DAYS = 3                # heavy-rain days per summer month: drainage and leak spikes [E]
_STORM_FACTOR = 5.0

# --- rates --------------------------------------------------------------------------------
# 12-month block means, the last block first: 2024 levels [S]; the year before lower by the
# published gains [S]; each earlier year 1.5 points lower again [E] (2 points would put the
# oldest year's street-months below the plausible 93 % / 94 % floors).
_RESOLUTION = (0.9796, (0.0241, 0.015))
_SATISFACTION = (0.9827, (0.0182, 0.015))
_RESPONSE = (0.998, (0.0015, 0.0015))          # [E]
_STREET_SD = (0.25, 0.15, 0.15)     # persistent street effect, logit: contact, resolve, satisfy [E]
_STREET_MONTH_SD = (0.3, 0.2, 0.2)  # month-to-month street effect, logit [E]
_STREET_MONTH_PERSISTENCE = 0.6     # AR(1): a good month tends to follow a good month [E]
_BAD_MONTHS_PER_YEAR = 2            # street-months that go badly, across the district [E]
_BAD_MONTH_SHIFT = (-1.8, -1.0, -0.9)  # logit shift of a bad street-month [E]
_BAD_MONTH_SLOWNESS = 0.5              # log-delay shift of a bad street-month [E]
_UNRESOLVED_MIX = (0.10, 0.30, 0.60)   # 满意 / 基本满意 / 不满意 of an unresolved ticket [E]
_BASIC_SHARE = 0.7                     # 基本满意 among resolved tickets not fully 满意 [E]
_BASIC_FACTOR = Settings().basic_satisfied_factor  # 基本满意 counts 0.9 [S-code]

# --- handling times -----------------------------------------------------------------------
# time limits: core/limits.py (a category's limit class, then contact within min(limit, 24 h))
_CONTACT_DELAY = (0.15, 0.8)   # delay / contact limit: lognormal median, sigma -> ~1 % late [E]
_CLOSE_DELAY = (0.42, 0.5)     # delay / limit: lognormal median, sigma -> ~4 % overdue [E]
_MIN_CLOSE_AFTER_CONTACT_S = 600

# --- callers, channels, places --------------------------------------------------------------
_CHANNELS = ("12345电话", "12345网络", "微信小程序", "首都之窗")
_CHANNEL_SHARE = (0.74, 0.11, 0.11, 0.04)        # at the window's start [E]
_CHANNEL_DRIFT = (-0.03, 0.01, 0.02, 0.0)        # per year: calls move online [E]
_CALLBACK_VALID = (0.91, 0.87, 0.88, 0.85)       # share of valid callbacks per channel [E]
_REPEAT_SHARE = 0.07           # tickets from callers with 3+ tickets in 30 days [E]
_EPISODE_SIZES, _EPISODE_P = np.array([3, 4, 5]), np.array([0.55, 0.30, 0.15])
_EPISODE_SPREAD_DAYS = 12      # a repeat caller's tickets lie within ±12 days of the first
_EPISODE_SAME_CATEGORY = 0.75
_ANONYMOUS_SHARE = 0.03        # no caller key (anonymous web submissions) [E]
_NO_COMMUNITY_SHARE = 0.01     # street-level tickets: no community, no point [E]
_JITTER_M = 110.0              # per axis: tickets lie ≈140 m (mean) from their community's point

# Hour-of-day weights: weekday / weekend, for most categories and for night-time nuisances
# (noise, night works).  Night low, peaks 9–11 and 14–16, a lunch dip [E].
_HOURS = np.array([
    [.6, .4, .3, .25, .25, .4, 1, 2.5, 5, 7.5, 8, 7, 5, 5.2, 6.8, 7, 6.5, 5.5, 4.5, 4.5, 4.5, 4, 3, 1.5],
    [.8, .5, .35, .3, .3, .4, .8, 1.6, 3.2, 5.5, 7, 7.2, 6, 5.6, 6.2, 6.4, 6.2, 5.6, 4.8, 4.8, 4.7, 4.2, 3.2, 1.7],
    [2.5, 1.5, .8, .5, .4, .5, 1, 2, 3.5, 4.5, 4.8, 4.5, 4, 4, 4.2, 4.2, 4, 4, 4.2, 5, 6, 6.5, 6, 4.5],
    [3, 2, 1, .6, .4, .4, .8, 1.6, 3, 4.2, 4.6, 4.6, 4.2, 4.2, 4.4, 4.4, 4.2, 4.2, 4.4, 5.2, 6.2, 6.8, 6.4, 5],
])
_HOUR_CDF = np.cumsum(_HOURS / _HOURS.sum(axis=1, keepdims=True), axis=1)
_HOUR_CDF[:, -1] = 1.0
_EVENING_L2 = {"生活噪声", "商业噪声", "广场舞噪声", "设备噪声", "夜间施工"}

_SEASONS = ("flat", "heating", "summer", "rain", "snow", "catkins", "building")

# Ticket categories of an old-city district [E]: level 1 -> (annual share %, level 2 rows).
# A level-2 row: (name, weight within level 1, time limit, season, logit difficulty of
# resolving it, content templates).  Heating has its own season 15 Nov – 15 Mar [S].
_CATEGORIES = {
    "物业管理": (12, [
        ("物业服务", 4, "general", "flat", 0.0, (
            "反映小区物业服务不到位，楼道卫生长期无人打扫。",
            "反映报修后物业迟迟无人上门处理。",
            "反映小区物业撤场后无人管理，希望街道协调。",
        )),
        ("电梯故障", 2, "utility", "flat", 0.0, (
            "反映楼内电梯频繁故障停运，老人上下楼困难。",
            "反映电梯运行有异响，担心存在安全隐患。",
        )),
        ("楼道杂物", 2, "general", "flat", 0.0, (
            "反映楼道内堆放大量杂物，影响通行并有消防隐患。",
            "反映有住户在楼道长期堆放废品，希望物业清理。",
        )),
        ("物业收费", 2, "general", "flat", -0.5, (
            "咨询物业费收费标准，认为收费不透明。",
            "反映物业公司擅自上调停车管理费。",
        )),
        ("门禁监控", 1, "general", "flat", 0.0, (
            "反映小区门禁损坏多日无人维修。",
            "反映小区监控设施长期不能使用，希望修复。",
        )),
    ]),
    "供暖": (9, [
        ("室温不达标", 5, "utility", "heating", 0.0, (
            "反映家中暖气不热，室温不达标，希望供热单位上门检测。",
            "反映楼内多户暖气温度偏低，夜间室温不足十八度。",
        )),
        ("停暖", 1, "emergency", "heating", 0.5, (
            "反映家中突然停暖，室内温度下降明显，请尽快处理。",
            "反映整栋楼暖气停止供应，家中有老人和婴儿。",
        )),
        ("暖气漏水", 2, "utility", "heating", 0.0, (
            "反映暖气管道漏水，已影响楼下住户，需要紧急维修。",
            "反映暖气片阀门滴水，请供热单位上门更换。",
        )),
        ("供暖费用", 1, "general", "heating", 0.0, (
            "咨询供暖费缴纳标准和补贴政策。",
            "反映已缴纳供暖费但仍未开栓供暖。",
        )),
    ]),
    "房屋修缮": (7, [
        ("房屋漏雨", 3, "general", "rain", 0.0, (
            "反映雨后房屋顶部漏雨，墙面受潮发霉。",
            "反映平房屋顶漏雨严重，希望尽快安排修缮。",
        )),
        ("老旧小区改造", 2, "complex", "building", -0.8, (
            "咨询本小区老旧小区综合整治的时间安排。",
            "反映老旧小区改造施工进度缓慢，影响居民出行。",
        )),
        ("平房修缮", 1, "complex", "flat", -0.8, (
            "反映院内平房墙体破损，希望纳入修缮计划。",
            "反映直管公房年久失修，申请房管部门检修。",
        )),
        ("墙体开裂", 1, "complex", "flat", -0.6, (
            "反映楼体外墙出现裂缝，担心存在安全隐患。",
            "反映外墙保温层脱落，存在高空坠物风险。",
        )),
    ]),
    "噪声扰民": (8, [
        ("生活噪声", 3, "general", "summer", 0.0, (
            "反映楼上住户夜间噪声较大，影响休息。",
            "反映邻居装修时间不规范，中午和晚间仍在施工。",
        )),
        ("商业噪声", 2, "general", "summer", -0.3, (
            "反映临街商铺音响声音过大，影响周边居民。",
            "反映底商酒吧夜间经营噪声扰民。",
        )),
        ("广场舞噪声", 2, "general", "summer", 0.0, (
            "反映公园广场舞音响声音过大，持续到晚上九点以后。",
            "反映小区广场健身活动噪声扰民，希望协调音量和时间。",
        )),
        ("设备噪声", 1, "general", "summer", 0.0, (
            "反映楼顶空调外机和风机噪声大，夜间无法入睡。",
            "反映商场冷却塔运行噪声扰民。",
        )),
    ]),
    "停车交通": (8, [
        ("违章停车", 3, "general", "flat", 0.0, (
            "反映胡同内车辆乱停乱放，堵塞通行。",
            "反映路口长期有车辆违停，影响行人通行。",
        )),
        ("停车难", 2, "general", "flat", -0.9, (
            "反映小区周边停车位紧张，希望增设居民停车位。",
            "咨询居住证明办理路侧停车优惠的政策。",
        )),
        ("共享单车乱停", 2, "general", "flat", 0.0, (
            "反映地铁站口共享单车堆放过多，占用盲道。",
            "反映胡同口共享单车乱停，影响出行。",
        )),
        ("交通设施", 1, "general", "flat", 0.0, (
            "反映路口信号灯故障，存在安全隐患。",
            "反映道路标线模糊，希望重新施划。",
        )),
    ]),
    "市容环卫": (8, [
        ("垃圾清运", 3, "general", "flat", 0.0, (
            "反映小区垃圾桶满溢未及时清运，有异味。",
            "反映胡同内建筑垃圾长期堆放无人清运。",
        )),
        ("垃圾分类", 2, "general", "flat", 0.0, (
            "反映垃圾分类桶站设置不合理，离居民楼太近。",
            "咨询大件垃圾和装修垃圾的投放方式。",
        )),
        ("道路保洁", 2, "general", "flat", 0.0, (
            "反映道路保洁不到位，落叶和垃圾较多。",
            "反映胡同路面污水横流，希望清扫。",
        )),
        ("积雪清扫", 0.6, "general", "snow", 0.0, (
            "反映人行道积雪结冰未清扫，老人出行易滑倒。",
            "反映胡同内积雪无人清理，影响通行。",
        )),
        ("公厕管理", 1, "general", "flat", 0.0, (
            "反映胡同公厕卫生条件差，保洁不及时。",
            "反映公厕夜间关闭，给居民如厕带来不便。",
        )),
    ]),
    "违法建设": (4, [
        ("私搭乱建", 3, "complex", "flat", -0.9, (
            "反映院内有人私自搭建房屋，占用公共空间。",
            "反映楼顶违规加盖建筑，希望执法部门核查。",
        )),
        ("违规改建", 1, "complex", "flat", -0.9, (
            "反映底商擅自拆改承重墙，担心影响楼体安全。",
            "反映住户私自破墙开门经营。",
        )),
    ]),
    "施工扰民": (5, [
        ("夜间施工", 2, "general", "building", 0.0, (
            "反映工地夜间施工噪声大，影响居民休息。",
            "反映道路施工夜间作业未公示许可。",
        )),
        ("施工扬尘", 2, "general", "building", 0.0, (
            "反映工地未采取覆盖措施，扬尘严重。",
            "反映拆除施工粉尘较大，影响周边居民。",
        )),
        ("道路开挖", 1, "general", "building", 0.0, (
            "反映道路开挖后长期未恢复，影响通行。",
            "反映施工围挡占用人行道，行人只能走机动车道。",
        )),
    ]),
    "供水排水": (6, [
        ("停水", 2, "utility", "flat", 0.0, (
            "反映家中突然停水，未接到任何通知。",
            "反映小区计划停水时间过长，影响生活。",
        )),
        ("水压低", 1, "utility", "flat", 0.0, (
            "反映高层住户水压偏低，用水困难。",
            "反映早晚用水高峰时段自来水水压不足。",
        )),
        ("下水道堵塞", 2, "utility", "flat", 0.0, (
            "反映楼内下水道堵塞返水，影响正常生活。",
            "反映胡同排水管道堵塞，污水外溢。",
        )),
        ("积水", 1.5, "utility", "rain", 0.0, (
            "反映降雨后路面积水严重，行人无法通行。",
            "反映胡同低洼处雨后积水，院内进水。",
        )),
        ("水质问题", 0.5, "utility", "flat", 0.0, (
            "反映自来水发黄有异味，希望检测水质。",
            "反映二次供水水箱长期未清洗。",
        )),
    ]),
    "电动自行车": (3, [
        ("飞线充电", 2, "general", "summer", 0.0, (
            "反映有居民从楼上私拉电线给电动自行车充电，存在火灾隐患。",
            "反映楼道内给电动自行车充电，存在安全隐患。",
        )),
        ("充电设施不足", 2, "general", "flat", -0.6, (
            "反映小区缺少电动自行车充电桩，希望增设。",
            "反映小区充电设施损坏后一直未修复。",
        )),
    ]),
    "市场管理": (9, [
        ("消费纠纷", 3, "general", "flat", 0.0, (
            "反映购买商品后出现质量问题，商家拒绝退换。",
            "反映餐饮商户收费与标价不符。",
        )),
        ("预付卡退费", 2, "complex", "flat", -1.0, (
            "反映健身房闭店，预付卡余额无法退还。",
            "反映美发店预付卡转让后拒绝继续提供服务。",
        )),
        ("无照经营", 1.5, "general", "flat", 0.0, (
            "反映胡同内有商户无照经营，占道摆卖。",
            "反映居民楼内开设无证小作坊。",
        )),
        ("价格问题", 1.5, "general", "flat", 0.0, (
            "反映商户明码标价不规范，存在价格欺诈。",
            "反映景区周边商户向游客高价兜售商品。",
        )),
        ("食品安全", 1, "general", "flat", 0.0, (
            "反映餐馆后厨卫生条件差，担心食品安全。",
            "反映购买的食品已过保质期。",
        )),
    ]),
    "养老助餐": (3, [
        ("养老驿站服务", 1.5, "general", "flat", 0.0, (
            "咨询社区养老驿站的服务项目和收费。",
            "反映养老驿站服务时间缩短，老人不便。",
        )),
        ("老年餐桌", 1.5, "general", "flat", 0.0, (
            "反映社区老年餐桌饭菜品种少，希望改进。",
            "咨询老年助餐补贴的申领方式。",
        )),
        ("适老化改造", 1, "complex", "flat", -0.7, (
            "申请为家中老人加装扶手等适老化设施。",
            "反映老楼无电梯，希望推进加装电梯。",
        )),
    ]),
    "公共服务": (8, [
        ("燃气问题", 1, "emergency", "heating", 0.5, (
            "反映楼道内有燃气异味，担心燃气泄漏。",
            "反映燃气表故障无法正常用气。",
        )),
        ("供电故障", 1.5, "utility", "summer", 0.0, (
            "反映家中突然停电，请供电部门尽快抢修。",
            "反映小区路灯不亮，夜间出行不便。",
        )),
        ("社区服务", 2, "general", "flat", 0.0, (
            "咨询社区办理居住证明需要的材料。",
            "反映社区办事时间与公示不符。",
        )),
        ("便民网点", 1.5, "general", "flat", 0.0, (
            "反映附近早餐点关闭，希望增设便民早餐网点。",
            "反映小区周边缺少菜站和修鞋配钥匙等便民服务。",
        )),
        ("公共交通", 1, "general", "flat", 0.0, (
            "建议调整公交线路，方便居民前往医院。",
            "反映公交站台设施损坏，候车不便。",
        )),
    ]),
    "社会秩序": (5, [
        ("邻里纠纷", 2, "general", "flat", 0.0, (
            "反映邻里之间因公共空间使用产生纠纷，希望社区调解。",
            "反映楼上漏水与邻居协商未果。",
        )),
        ("群租房", 1, "complex", "flat", -0.7, (
            "反映小区内有房屋被改造成群租房，人员复杂。",
            "反映地下室违规住人。",
        )),
        ("小广告", 1, "general", "flat", 0.0, (
            "反映楼道内小广告乱贴乱画。",
            "反映路边有人散发小广告。",
        )),
        ("宠物管理", 1, "general", "flat", 0.0, (
            "反映小区内遛狗不拴绳，存在安全隐患。",
            "反映邻居饲养宠物扰民。",
        )),
    ]),
    "消防安全": (2, [
        ("火灾隐患", 1, "emergency", "flat", 0.5, (
            "反映楼内有人违规使用明火，存在火灾隐患。",
            "反映商户违规存放液化气罐。",
        )),
        ("消防通道堵塞", 2, "utility", "flat", 0.0, (
            "反映小区消防通道被车辆长期占用。",
            "反映胡同内杂物堆放堵塞消防通道。",
        )),
    ]),
    "园林绿化": (3, [
        ("树木修剪", 2, "general", "flat", 0.0, (
            "反映树枝遮挡窗户影响采光，希望修剪。",
            "反映树木枝干枯死，存在倒伏风险。",
        )),
        ("杨柳飞絮", 1, "general", "catkins", 0.0, (
            "反映杨柳飞絮严重，希望采取治理措施。",
            "反映飞絮堆积在路边，存在火灾隐患。",
        )),
        ("绿地养护", 1, "general", "flat", 0.0, (
            "反映绿地缺乏养护，杂草丛生。",
            "反映小区绿地被占用种菜。",
        )),
    ]),
}

# --- static tables: names and places ----------------------------------------------------------
# Old-Beijing place names around each street, used as stems of community names [E].
_COMMUNITY_STEMS = {
    "德胜": ("德胜门", "新康", "六铺炕", "裕中", "双旗杆", "安德", "德外", "黄寺", "新风", "马甸", "人定湖",
             "新外", "冰窖口", "果子市"),
    "什刹海": ("烟袋斜街", "鸦儿", "后海", "前海", "柳荫", "大金丝", "护国寺", "松树街", "兴华", "西什库",
               "爱民", "刘海", "旧鼓楼", "白米斜街", "米粮库", "大石碑", "厂桥", "西海"),
    "西长安街": ("西单", "府右", "西交民巷", "文昌", "钟声", "六部口", "北新华街", "和平门", "西黄城根",
                 "灵境", "西安门"),
    "大栅栏": ("大栅栏", "煤市", "百顺", "铁树斜街", "粮食店", "石头", "大安澜营", "三井", "西河沿", "廊房"),
    "天桥": ("天桥", "福长", "永安路", "香厂路", "虎坊路", "北纬路", "留学路", "先农坛", "太平街", "禄长"),
    "新街口": ("新街口", "西四北", "白塔寺", "宫门口", "赵登禹", "前公用", "西直门内", "玉桃园", "冠英园",
               "草岚子", "官园", "安平巷", "大乘巷", "育德", "西章", "四根柏", "西教场"),
    "金融街": ("丰盛", "太平桥", "大院", "二龙路", "闹市口", "武功卫", "西便门", "宏庙", "砖塔", "民康",
               "受水河", "新文化", "宣武门西", "广宁伯", "手帕", "辟才", "南礼士路"),
    "椿树": ("椿树", "琉璃厂", "香炉营", "红线", "宣武门外", "后孙公园", "棉花", "梁家园"),
    "陶然亭": ("陶然亭", "黑窑厂", "龙泉", "米市", "粉房琉璃", "南华", "窑台", "龙爪槐", "太平湖", "福州馆"),
    "展览路": ("百万庄", "车公庄", "展览馆", "三里河", "阜外", "北营房", "榆树馆", "文兴", "扣钟", "新华里",
               "德宝", "朝阳庵", "二里沟", "黄瓜园", "团结", "露园", "万明园", "桃园"),
    "月坛": ("月坛", "南沙沟", "白云观", "木樨地", "真武庙", "复兴门", "复外", "汽南", "铁道", "会计司",
             "西便门外", "南营房", "社会路", "三里河东", "西月坛", "北礼士路", "阜成门南"),
    "广内": ("广安门", "报国寺", "西砖", "长椿", "槐柏树", "校场", "红居", "三庙", "康乐", "上斜", "老墙根",
             "核桃园", "顺河"),
    "牛街": ("牛街", "法源寺", "枣林", "南线阁", "白广路", "春风", "钢院", "菜园", "教子胡同", "白菜湾"),
    "白纸坊": ("白纸坊", "右安门", "樱桃园", "自新路", "里仁", "光源", "半步桥", "建功", "新安", "双槐",
               "万博", "崇效寺", "清芷园", "平原"),
    "广外": ("红莲", "莲花河", "湾子", "手帕口", "天宁寺", "广义", "马连道", "小马厂", "三义", "茶马", "跃进",
             "关厢", "吴庄", "蝶翅", "鸭子桥", "莲花池东"),
}
# A stem already naming a street, lane or place only takes a direction; others take a
# place-type suffix, bare stems being the most common.
_PLACE_ENDINGS = "街巷寺里园路营坊同口馆厂桥门道关"
_DIRECTION_SUFFIXES = ("", "东", "西", "南", "北")
_PLACE_SUFFIXES = ("", "", "", "胡同", "里", "街", "坊", "北里", "西里", "南里", "东里", "巷", "园")

# 16 circles named after real neighbourhoods (the names are the demo's, FACTS.md):
# (name, street short name, walk minutes).  西单北 in 西长安街 is the one published [S].
_CIRCLES = (
    ("德胜门", "德胜", 10), ("什刹海", "什刹海", 10), ("西单北", "西长安街", 10), ("大栅栏", "大栅栏", 10),
    ("天桥", "天桥", 10), ("新街口", "新街口", 10), ("白塔寺", "新街口", 10), ("金融街", "金融街", 10),
    ("椿树", "椿树", 10), ("陶然亭", "陶然亭", 10), ("展览路", "展览路", 15), ("月坛", "月坛", 10),
    ("广安门", "广内", 10), ("牛街", "牛街", 10), ("白纸坊", "白纸坊", 10), ("广外", "广外", 15),
)
_FIRST_LAUNCH = np.datetime64("2022-06-01")
_LAUNCH_MARGIN_MONTHS = 3      # the last circle launches 3 months before the data ends

# Beijing's 8 basic functions plus supermarket and pharmacy [S]: brand names, how many of
# each a circle has, and how likely a circle lacks it when it is incomplete [E].
_FACILITIES = {
    "蔬菜零售": (("超市发菜站", "首农菜篮子", "京客隆生鲜", "社区菜站"), (1, 2), 0.15),
    "便利店": (("物美便利店", "便利蜂", "好邻居便利店", "7-ELEVEn", "罗森便利店"), (2, 4), 0.0),
    "早餐": (("庆丰包子铺", "南城香", "嘉和一品", "护国寺小吃"), (1, 3), 0.10),
    "家政": (("三八家政", "轻喜到家", "社区家政服务站"), (1, 2), 0.15),
    "美容美发": (("四联美发", "金剪刀美发", "社区便民理发"), (1, 3), 0.05),
    "末端配送": (("菜鸟驿站", "丰巢智能柜", "京东快递站", "顺丰驿站"), (2, 4), 0.0),
    "便民维修": (("便民维修点", "修鞋配钥匙", "家电维修服务站"), (1, 2), 0.20),
    "洗染": (("福奈特洗衣", "荣昌洗衣", "象王洗衣"), (1, 2), 0.20),
    "综合超市": (("物美超市", "超市发", "京客隆超市", "华联超市"), (1, 2), 0.10),
    "药店": (("金象大药房", "同仁堂药店", "嘉事堂药店", "医保全新大药房"), (1, 3), 0.05),
}
_INCOMPLETE_CIRCLES = 6        # circles that lack 1–3 categories [E]
_MAX_MISSING = 3
# Facilities outside the circles, per category: the old city is dense with small shops, so
# most residents reach a convenience store or a pharmacy anyway; supermarkets, repair and
# housekeeping are scarcer.  Counts for the whole district (50.7 km²) [E].
_OUTSIDE_FACILITIES = {"便利店": 320, "早餐": 160, "蔬菜零售": 120, "药店": 170, "洗染": 70, "美容美发": 220,
                       "末端配送": 260, "综合超市": 30, "便民维修": 45, "家政": 35}
_FACILITY_FILL = 0.92          # place a circle's facilities within this share of its radius
_CLEARANCE = 1.05              # keep a facility this far out of circles that must lack it
_UNKNOWN_OPENING = 0.2         # facilities with no known opening date
_OPENED_WITH_CIRCLE = 0.3      # opened around the circle's launch (the circle filled gaps)
_OLD_SHOPS_FROM = np.datetime64("2008-01-01")
_BRANCH_NUMBERS = "二三四五六七八九"

_US_PER_S = 1_000_000
_US_PER_H = 3600 * _US_PER_S


_WALK = (Settings().walk_m_per_min, Settings().route_directness)
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)
_CHANNEL_NAMES = pa.array(_CHANNELS)
_SATISFACTION_NAMES = pa.array(schema.SATISFACTION_VALUES)


@dataclass(frozen=True)
class _Categories:
    """The level-2 categories as parallel arrays, indexed by category number."""

    l1: pa.Array
    l2: pa.Array
    share: np.ndarray           # share of all tickets over a year
    season: np.ndarray          # index into _SEASONS
    limit_h: np.ndarray
    difficulty: np.ndarray      # logit offset of resolving
    evening: np.ndarray         # bool: night-time nuisance hour profile
    template_start: np.ndarray
    template_count: np.ndarray
    templates: pa.Array


def _category_table() -> _Categories:
    rows = [(l1, share / 100 * w / sum(r[1] for r in l2s), name, limit, season, difficulty, texts)
            for l1, (share, l2s) in _CATEGORIES.items()
            for name, w, limit, season, difficulty, texts in l2s]
    counts = np.array([len(r[6]) for r in rows])
    return _Categories(
        l1=pa.array([r[0] for r in rows]),
        l2=pa.array([r[2] for r in rows]),
        share=np.array([r[1] for r in rows]),
        season=np.array([_SEASONS.index(r[4]) for r in rows]),
        limit_h=np.array([limits.hours_of(r[3]) for r in rows], dtype=np.int64),
        difficulty=np.array([r[5] for r in rows], dtype=float),
        evening=np.array([r[2] in _EVENING_L2 for r in rows]),
        template_start=np.concatenate([[0], np.cumsum(counts)[:-1]]),
        template_count=counts,
        templates=pa.array([t for r in rows for t in r[6]]),
    )


_CAT = _category_table()


# --- public API ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    """Everything the monthly ticket batches need, fixed at build time."""

    seed: int
    months: np.ndarray            # datetime64[M]: the ticket window
    first_day: np.datetime64
    month_start: np.ndarray       # index of each month's first day in `daily`, plus the end
    end_us: int                   # first microsecond after the data ends
    daily: np.ndarray             # (days, categories) expected tickets
    expected: np.ndarray          # expected tickets per month
    community_weight: np.ndarray  # relative tickets per community
    community_street: np.ndarray  # street index of each community
    community_lon: np.ndarray
    community_lat: np.ndarray
    community_ids: pa.Array
    street_codes: pa.Array
    street_polygons: tuple        # stored (rounded) street polygons, prepared
    volume: np.ndarray            # (months, streets) street-month volume factor
    base: np.ndarray              # (3, months) district logit: contact, resolve, satisfy
    quality: np.ndarray           # (3, months, streets) street-month logit effects
    slowness: np.ndarray          # (months, streets) shift of log handling delays
    channel_cdf: np.ndarray       # (months, channels)
    salt: np.uint64               # key of the caller hash


@dataclass
class DemoData:
    """The demo: static tables at once, tickets generated on demand month by month."""

    static: dict[str, pa.Table]   # streets, communities, circles, facilities
    meta: dict                    # seed, end, years, tickets, target_tickets, generator_version
    data_as_of: date              # last day of the end month
    _plan: _Plan = field(repr=False, compare=False)

    def ticket_batches(self) -> Iterator[pa.Table]:
        """Tickets as one Arrow table per month: each sorted by created_at, months ascending.

        Deterministic: every call yields the same batches.
        """
        for m in range(len(self._plan.months)):
            yield _month_batch(self._plan, m)


def default_end(today: date | None = None) -> str:
    """The last complete month before `today` (default: today), as 'YYYY-MM'."""
    today = today or date.today()
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def build(seed: int = 2024, end: str | None = None, years: int = 3, tickets: int | None = None) -> DemoData:
    """Build the demo for `years` years of tickets ending with month `end` ('YYYY-MM').

    `tickets=None` gives the real volume (≈271k in the last 12 months); `tickets=N` scales
    the whole window to ≈N tickets.  The same arguments give identical tables.
    """
    end = end or default_end()
    months = _window(end, years)
    if tickets is not None and tickets < 1:
        raise ValueError("tickets must be a positive number")
    data_as_of = ((months[-1] + 1).astype("datetime64[D]") - 1).item()
    streets = load_streets()
    geometry = {code: geo.to_geojson(cell) for code, cell in geo.schematic_boundaries(streets).items()}
    polygons = {code: shapely.from_geojson(text) for code, text in geometry.items()}
    communities = _communities(streets, polygons, _rng(seed, _STREAM_COMMUNITIES))
    circles = _circles(streets, polygons, data_as_of, _rng(seed, _STREAM_CIRCLES))
    facilities = _facilities(circles, communities, data_as_of, _rng(seed, _STREAM_FACILITIES))
    plan = _make_plan(seed, months, streets, polygons, communities, tickets)
    frames = {"streets": _streets_frame(streets, geometry), "communities": communities,
              "circles": circles, "facilities": facilities}
    meta = {"seed": seed, "end": end, "years": years, "tickets": tickets,
            "target_tickets": int(round(plan.expected.sum())), "generator_version": GENERATOR_VERSION}
    return DemoData(static={name: schema.conform(name, df) for name, df in frames.items()},
                    meta=meta, data_as_of=data_as_of, _plan=plan)


# --- small helpers ------------------------------------------------------------------------------

def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _draw(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """`n` indices drawn with probability proportional to `weights` (inverse CDF)."""
    cdf = np.cumsum(weights, dtype=float)
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right")


def _split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` split in proportion to `weights` into integers summing to it (largest remainder)."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw, kind="stable")[: total - out.sum()]] += 1
    return out


def _window(end: str, years: int) -> np.ndarray:
    """The months of the ticket window, validated: `years` × 12 months ending with `end`."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", end or ""):
        raise ValueError(f"end must look like 2024-12, not {end!r}")
    if not 1 <= years <= 8:
        raise ValueError("years must be between 1 and 8")
    last = np.datetime64(end, "M")
    months = np.arange(last - 12 * years + 1, last + 1)
    lunar_years = {int(str(d)[:4]) for d in _LUNAR_NEW_YEAR}
    if not {int(str(m)[:4]) for m in months} <= lunar_years:
        raise ValueError(f"the demo knows Spring Festival dates for {min(lunar_years)}–{max(lunar_years)} only")
    if last - _LAUNCH_MARGIN_MONTHS < _FIRST_LAUNCH.astype("datetime64[M]"):
        raise ValueError("end must be 2022-09 or later: the circles launch from 2022-06")
    return months


def _spread_points(polygon, k: int, rng: np.random.Generator, candidates: int = 16) -> np.ndarray:
    """`k` well-spread (lon, lat) points inside `polygon`: best-candidate sampling.

    Each point is the candidate farthest from the points already chosen and from the
    polygon's edge (counted double, so points keep off the border).
    """
    local = geo.project(polygon)
    chosen = np.empty((0, 2))
    for _ in range(k):
        cand = geo.random_points_in(local, candidates, rng)
        score = 2 * shapely.distance(shapely.points(cand), local.exterior)
        if len(chosen):
            gaps = np.hypot(cand[:, None, 0] - chosen[None, :, 0], cand[:, None, 1] - chosen[None, :, 1])
            score = np.minimum(score, gaps.min(axis=1))
        chosen = np.vstack([chosen, cand[np.argmax(score)]])
    return np.column_stack(geo.from_local_m(chosen[:, 0], chosen[:, 1]))


# --- static tables ------------------------------------------------------------------------------

def _streets_frame(streets: pd.DataFrame, geometry: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "street_code": streets["street_code"], "name_zh": streets["name_zh"],
        "short_zh": streets["short_zh"], "name_en": streets["name_en"],
        "population": streets["population_2020"], "area_km2": streets["area_km2"],
        "centroid_lat": streets["centroid_lat"], "centroid_lon": streets["centroid_lon"],
        "geometry_geojson": streets["street_code"].map(geometry), "boundary_kind": "schematic",
    })


def _communities(streets: pd.DataFrame, polygons: dict, rng: np.random.Generator) -> pd.DataFrame:
    """Each street's communities: unique names, spread points inside it, populations summing up."""
    used: set[str] = set()
    parts = []
    for s in streets.itertuples():
        k = int(s.communities)
        points = _spread_points(polygons[s.street_code], k, rng)
        parts.append(pd.DataFrame({
            "community_id": [f"{s.street_code}{i:03d}" for i in range(1, k + 1)],
            "street_code": s.street_code,
            "name_zh": _community_names(_COMMUNITY_STEMS[s.short_zh], k, rng, used),
            "lat": points[:, 1], "lon": points[:, 0],
            "population": _split_integer(int(s.population_2020), rng.gamma(6.0, size=k)),
        }))
    return pd.concat(parts, ignore_index=True)


def _community_names(stems: tuple[str, ...], k: int, rng: np.random.Generator, used: set[str]) -> list[str]:
    """`k` community names, unique across the district: stem + suffix + 社区."""
    names: list[str] = []
    order = rng.permutation(len(stems))
    for attempt in range(50 * k):
        stem = stems[order[attempt % len(stems)]]
        suffixes = _DIRECTION_SUFFIXES if stem[-1] in _PLACE_ENDINGS else _PLACE_SUFFIXES
        name = f"{stem}{suffixes[rng.integers(len(suffixes))]}社区"
        if name not in used:
            used.add(name)
            names.append(name)
            if len(names) == k:
                return names
    raise RuntimeError("ran out of community names")


def _circles(streets: pd.DataFrame, polygons: dict, data_as_of: date, rng: np.random.Generator) -> pd.DataFrame:
    """The 16 circles: centres spread inside their street, launches spread over 2022-06..end."""
    code = dict(zip(streets["short_zh"], streets["street_code"]))
    centres = {}
    for short in dict.fromkeys(c[1] for c in _CIRCLES):
        k = sum(c[1] == short for c in _CIRCLES)
        centres[short] = list(_spread_points(polygons[code[short]], k, rng))
    points = np.array([centres[short].pop(0) for _, short, _ in _CIRCLES])
    return pd.DataFrame({
        "circle_id": [f"C{i:02d}" for i in range(1, len(_CIRCLES) + 1)],
        "name_zh": [f"{name}便民生活圈" for name, _, _ in _CIRCLES],
        "street_code": [code[short] for _, short, _ in _CIRCLES],
        "center_lat": points[:, 1], "center_lon": points[:, 0],
        "walk_minutes": [minutes for _, _, minutes in _CIRCLES],
        "launched_on": [d.item() for d in _launch_dates(len(_CIRCLES), data_as_of, rng)],
    })


def _launch_dates(n: int, data_as_of: date, rng: np.random.Generator) -> np.ndarray:
    """`n` launch dates spread evenly over [2022-06, end − 3 months], in random order."""
    first = _FIRST_LAUNCH.astype("datetime64[M]")
    last = np.datetime64(data_as_of, "M") - _LAUNCH_MARGIN_MONTHS
    steps = np.round(np.linspace(0, (last - first).astype(int), n)).astype(int)
    months = (first + steps)[rng.permutation(n)]
    return months.astype("datetime64[D]") + rng.integers(0, 28, n)


def _facilities(circles: pd.DataFrame, communities: pd.DataFrame, data_as_of: date,
                rng: np.random.Generator) -> pd.DataFrame:
    """Facilities of the ten categories in each circle (some circles lack some), and outside.

    A category a circle lacks is kept out of that circle's whole walking radius, whoever
    the facility belongs to, so the gap is real on the map.
    """
    radius = np.array([geo.walk_radius_m(m, *_WALK) for m in circles["walk_minutes"]])
    centres = circles[["center_lon", "center_lat"]].to_numpy()
    missing = _missing_categories(len(circles), rng)
    rows = []  # (category, lon, lat, circle index or -1)
    for i in range(len(circles)):
        for cat, (_, (lo, hi), _) in _FACILITIES.items():
            if cat not in missing[i]:
                rows += [(cat, *_facility_point(rng, centres, radius, missing, cat, i), i)
                         for _ in range(rng.integers(lo, hi + 1))]
    for cat, n in _OUTSIDE_FACILITIES.items():
        rows += [(cat, *_facility_point(rng, centres, radius, missing, cat, None), -1) for _ in range(n)]
    cat, lon, lat, home = (np.array(col) for col in zip(*rows))
    launched = np.array([circles["launched_on"].iloc[h] if h >= 0 else None for h in home])
    return pd.DataFrame({
        "facility_id": [f"F{i:04d}" for i in range(1, len(rows) + 1)],
        "category": cat,
        "name_zh": _facility_names(cat, lon, lat, communities, rng),
        "lat": lat, "lon": lon,
        "circle_id": [circles["circle_id"].iloc[h] if h >= 0 else None for h in home],
        "opened_on": _opening_dates(launched, data_as_of, rng),
    })


def _missing_categories(n: int, rng: np.random.Generator) -> list[tuple[str, ...]]:
    """For each circle the categories it lacks: 1–3 for a few circles, none for the rest."""
    cats = list(_FACILITIES)
    p = np.array([spec[2] for spec in _FACILITIES.values()])
    missing: list[tuple[str, ...]] = [()] * n
    for i in rng.choice(n, _INCOMPLETE_CIRCLES, replace=False):
        k = rng.integers(1, _MAX_MISSING + 1)
        missing[i] = tuple(str(c) for c in rng.choice(cats, k, replace=False, p=p / p.sum()))
    return missing


def _facility_point(rng, centres, radius, missing, cat: str, home: int | None) -> tuple[float, float]:
    """A (lon, lat) for a facility of `cat`: inside circle `home` (or outside every circle
    when None), inside the district, and clear of every circle that must lack `cat`."""
    outline = geo.district_outline()
    keep_out = np.array([cat in m for m in missing]) if home is not None else np.ones(len(centres), bool)
    for _ in range(1000):
        if home is None:
            lon, lat = geo.random_points_in(outline, 32, rng).T
        else:
            r = radius[home] * _FACILITY_FILL * np.sqrt(rng.random(32))
            angle = rng.uniform(0, 2 * np.pi, 32)
            x, y = geo.to_local_m(*centres[home])
            lon, lat = geo.from_local_m(x + r * np.cos(angle), y + r * np.sin(angle))
        dist = geo.haversine_m(lat[:, None], lon[:, None], centres[None, :, 1], centres[None, :, 0])
        ok = shapely.contains_xy(outline, lon, lat) & ~((dist < radius * _CLEARANCE) & keep_out).any(axis=1)
        if ok.any():
            k = np.argmax(ok)
            return float(lon[k]), float(lat[k])
    raise RuntimeError(f"no room for a {cat} facility")


def _facility_names(cat, lon, lat, communities, rng) -> list[str]:
    """'Brand(place店)', the place being the nearest community; repeats get 二店, 三店…"""
    dist = geo.haversine_m(lat[:, None], lon[:, None], communities["lat"].to_numpy()[None, :],
                           communities["lon"].to_numpy()[None, :])
    places = communities["name_zh"].str.removesuffix("社区").to_numpy()[dist.argmin(axis=1)]
    names, seen = [], {}
    for c, place in zip(cat, places):
        brands = _FACILITIES[c][0]
        brand = brands[rng.integers(len(brands))]
        n = seen[(brand, place)] = seen.get((brand, place), 0) + 1
        names.append(f"{brand}({place}{_BRANCH_NUMBERS[n - 2] if n > 1 else ''}店)")
    return names


def _opening_dates(launched: np.ndarray, data_as_of: date, rng: np.random.Generator) -> list[date | None]:
    """Opening dates: some unknown, some around their circle's launch, the rest older shops."""
    n = len(launched)
    u = rng.random(n)
    old_span = (min(_FIRST_LAUNCH, np.datetime64(data_as_of)) - _OLD_SHOPS_FROM).astype(int)
    old = _OLD_SHOPS_FROM + rng.integers(0, old_span, n)
    around = rng.integers(-180, 366, n)
    out: list[date | None] = []
    for i in range(n):
        if u[i] < _UNKNOWN_OPENING:
            out.append(None)
        elif launched[i] is not None and u[i] < _UNKNOWN_OPENING + _OPENED_WITH_CIRCLE:
            out.append(min(launched[i] + timedelta(days=int(around[i])), data_as_of))
        else:
            out.append(old[i].item())
    return out


# --- the ticket plan ----------------------------------------------------------------------------

def _make_plan(seed: int, months: np.ndarray, streets: pd.DataFrame, polygons: dict,
               communities: pd.DataFrame, tickets: int | None) -> _Plan:
    rng = _rng(seed, _STREAM_PLAN)
    n_months, n_streets = len(months), len(streets)
    first_day = months[0].astype("datetime64[D]")
    days = np.arange(first_day, (months[-1] + 1).astype("datetime64[D]"))
    month_start = np.searchsorted(days, np.append(months, months[-1] + 1).astype("datetime64[D]"))
    daily = (_day_factor(days) * _growth(days))[:, None] * _season_matrix(days)[:, _CAT.season] * _CAT.share
    per_month = np.add.reduceat(daily.sum(axis=1), month_start[:-1])
    daily *= (_TICKETS_LAST_YEAR / per_month[-12:].sum()) if tickets is None else tickets / per_month.sum()

    street_of = pd.Index(streets["street_code"]).get_indexer(communities["street_code"])
    weight = _community_weights(communities, streets, street_of, rng)
    volume = np.exp(rng.normal(0, _STREET_MONTH_VOLUME_SD, (n_months, n_streets)))
    street_w = np.stack([np.bincount(street_of, weight * volume[m, street_of], n_streets) for m in range(n_months)])
    cat_w = np.add.reduceat(daily, month_start[:-1], axis=0)
    quality, shock = _street_effects(rng, n_months, n_streets)
    base = _calibrate(n_months, quality, street_w / street_w.sum(1, keepdims=True), cat_w / cat_w.sum(1, keepdims=True))
    for polygon in polygons.values():
        shapely.prepare(polygon)
    return _Plan(
        seed=seed, months=months, first_day=first_day, month_start=month_start,
        end_us=int((months[-1] + 1).astype("datetime64[us]").astype(np.int64)),
        daily=daily, expected=np.add.reduceat(daily.sum(axis=1), month_start[:-1]),
        community_weight=weight, community_street=street_of,
        community_lon=communities["lon"].to_numpy(), community_lat=communities["lat"].to_numpy(),
        community_ids=pa.array(communities["community_id"]), street_codes=pa.array(streets["street_code"]),
        street_polygons=tuple(polygons[c] for c in streets["street_code"]),
        volume=volume, base=base,
        quality=quality + shock[None] * np.array(_BAD_MONTH_SHIFT)[:, None, None],
        slowness=shock * _BAD_MONTH_SLOWNESS,
        channel_cdf=_channel_cdf(n_months),
        salt=rng.integers(0, 2**63, dtype=np.uint64),
    )


def _day_factor(days: np.ndarray) -> np.ndarray:
    """Relative volume per day: weekday rhythm and the Spring Festival dip."""
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    factor = np.array(_WEEKDAY_FACTOR)[weekday]
    for new_year in _LUNAR_NEW_YEAR:
        for offset, dip in _SPRING_FESTIVAL_DIP.items():
            factor[days == new_year + offset] *= dip
    return factor


def _growth(days: np.ndarray) -> np.ndarray:
    """Volume trend: +3 % a year, 1.0 on the last day."""
    return (1 + _YEARLY_GROWTH) ** ((days - days[-1]).astype(float) / 365.25)


def _season_matrix(days: np.ndarray) -> np.ndarray:
    """(days, seasons) relative volume of each seasonal profile, each averaging 1 over a year."""
    reference_year = np.arange(np.datetime64("2023-01-01"), np.datetime64("2024-01-01"))
    return _raw_seasons(days) / _raw_seasons(reference_year).mean(axis=0)


def _raw_seasons(days: np.ndarray) -> np.ndarray:
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    mday = (days - days.astype("datetime64[M]")).astype(int) + 1
    doy = (days - days.astype("datetime64[Y]")).astype(int) + 1
    heating = (month >= 12) | (month <= 2) | ((month == 11) & (mday >= 15)) | ((month == 3) & (mday <= 15))  # [S]
    start = ((month == 11) & (mday >= 15)) | ((month == 12) & (mday <= 5))  # complaints peak as heating starts
    return np.column_stack([
        np.ones(len(days)),                                                    # flat
        np.where(heating, 1.0 + 0.8 * start + 0.2 * (month == 1), 0.07),       # heating [E]
        1 + 0.9 * np.exp(-(((doy - 200) / 40.0) ** 2)),                        # summer: noise, power
        0.15 + 4.0 * np.exp(-(((doy - 205) / 18.0) ** 2)),                     # rain: late July [E]
        np.where((month == 12) | (month <= 2), 1.0, 0.02),                     # snow
        np.where((month == 4) | ((month == 5) & (mday <= 25)), 1.0, 0.03),     # catkins
        np.where((month == 12) | (month <= 2), 0.6, 1.15),                     # building works
    ])


def _community_weights(communities, streets, street_of, rng) -> np.ndarray:
    """Relative ticket volume of each community: residents × visitor factor × spread;
    a few hotspots call 3–5× as often as their neighbours, every month."""
    visitor = streets["short_zh"].map(_VISITOR_FACTOR).fillna(1.0).to_numpy()
    spread = np.exp(rng.normal(0, _COMMUNITY_SPREAD_SD, len(communities)))
    hot = rng.choice(len(communities), _HOTSPOTS, replace=False)
    spread[hot] = rng.uniform(*_HOTSPOT_FACTOR, _HOTSPOTS)
    return communities["population"].to_numpy() * visitor[street_of] * spread


def _street_effects(rng, n_months: int, n_streets: int) -> tuple[np.ndarray, np.ndarray]:
    """(3, months, streets) logit effects and a 0/1 bad-month map.

    Effect = persistent street effect + an AR(1) monthly effect, so ranks move every month
    but not at random.
    """
    rho = _STREET_MONTH_PERSISTENCE
    noise = rng.normal(0, 1, (3, n_months, n_streets))
    monthly = np.empty_like(noise)
    monthly[:, 0] = noise[:, 0]
    for m in range(1, n_months):
        monthly[:, m] = rho * monthly[:, m - 1] + np.sqrt(1 - rho**2) * noise[:, m]
    sd, monthly_sd = np.array(_STREET_SD)[:, None, None], np.array(_STREET_MONTH_SD)[:, None, None]
    effects = rng.normal(0, 1, (3, 1, n_streets)) * sd + monthly * monthly_sd
    shock = np.zeros(n_months * n_streets)
    shock[rng.choice(shock.size, max(2, round(_BAD_MONTHS_PER_YEAR * n_months / 12)), replace=False)] = 1
    return effects, shock.reshape(n_months, n_streets)


def _block_curve(last: float, steps: tuple[float, float], n_months: int) -> np.ndarray:
    """A monthly level whose 12-month block means step down from `last` going back.

    Piecewise linear through one anchor per block centre, flat beyond the outer ones; the
    anchors are solved so each block's mean is exact.
    """
    years = n_months // 12
    means = last - np.concatenate([[0], np.cumsum([steps[0]] + [steps[1]] * (years - 2))])[:years]
    back = np.arange(n_months)[::-1]  # months before the end month
    centres = 5.5 + 12.0 * np.arange(years)
    basis = np.array([np.interp(back, centres, e) for e in np.eye(years)])  # (anchors, months)
    block_of = back // 12
    mixing = np.array([[basis[j, block_of == b].mean() for j in range(years)] for b in range(years)])
    return np.interp(back, centres, np.linalg.solve(mixing, means))


def _solve_logit(target: np.ndarray, offsets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per month m, the b with Σ_k weights[m,k]·σ(b + offsets[m,k]) = target[m] (bisection)."""
    lo, hi = np.full(len(target), -10.0), np.full(len(target), 20.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        low = (weights * _sigmoid(mid[:, None] + offsets)).sum(axis=1) < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return (lo + hi) / 2


def _calibrate(n_months: int, quality: np.ndarray, street_w: np.ndarray, cat_w: np.ndarray) -> np.ndarray:
    """District base logits per month so that, before bad-month shocks, the expected
    response, resolution and satisfaction rates follow their block curves."""
    response = _block_curve(_RESPONSE[0], _RESPONSE[1], n_months)
    resolution = _block_curve(_RESOLUTION[0], _RESOLUTION[1], n_months)
    satisfaction = _block_curve(_SATISFACTION[0], _SATISFACTION[1], n_months)
    unresolved_score = _UNRESOLVED_MIX[0] + _BASIC_FACTOR * _UNRESOLVED_MIX[1]
    resolve_offsets = (quality[1][:, :, None] + _CAT.difficulty[None, None, :]).reshape(n_months, -1)
    resolve_w = (street_w[:, :, None] * cat_w[:, None, :]).reshape(n_months, -1)
    return np.stack([
        _solve_logit(response, quality[0], street_w),
        # resolving needs contact first: P(resolved | contacted) = resolution / response
        _solve_logit(resolution / response, resolve_offsets, resolve_w),
        # satisfaction = resolution × score(resolved) + (1 − resolution) × score(unresolved)
        _solve_logit((satisfaction - (1 - resolution) * unresolved_score) / resolution, quality[2], street_w),
    ])


def _channel_cdf(n_months: int) -> np.ndarray:
    share = np.array(_CHANNEL_SHARE) + np.outer(np.arange(n_months) / 12, _CHANNEL_DRIFT)
    share = np.clip(share, 0.01, None)
    cdf = np.cumsum(share / share.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    return cdf


# --- one month of tickets -----------------------------------------------------------------------

def _month_batch(plan: _Plan, m: int) -> pa.Table:
    """Month `m`'s tickets, sorted by created_at; all vectorised."""
    rng = _rng(plan.seed, _STREAM_MONTH, m)
    lo, hi = plan.month_start[m], plan.month_start[m + 1]
    days = plan.first_day + np.arange(lo, hi)
    n = int(rng.poisson(plan.expected[m]))
    if n >= 10**7:
        raise ValueError("more than 10 million tickets in one month: ticket ids would overflow")
    day, cat = _draw_day_category(rng, plan.daily[lo:hi], days, n)
    comm = _draw(rng, plan.community_weight * plan.volume[m, plan.community_street], n)
    caller = (np.uint64(m) << np.uint64(32)) | np.arange(n, dtype=np.uint64)
    repeat = _repeat_callers(rng, day, cat, comm, caller, len(days))
    created = _created_us(rng, days, day, cat)
    order = np.argsort(created, kind="stable")
    created, cat, comm, caller, repeat = created[order], cat[order], comm[order], caller[order], repeat[order]
    street = plan.community_street[comm]
    channel = np.searchsorted(plan.channel_cdf[m], rng.random(n), side="right")
    out = _outcomes(rng, plan, m, created, cat, street, channel)
    placed = rng.random(n) >= _NO_COMMUNITY_SHARE
    lon, lat = _locations(rng, plan, comm, street)
    anonymous = (rng.random(n) < _ANONYMOUS_SHARE) & ~repeat
    template = _CAT.template_start[cat] + (rng.random(n) * _CAT.template_count[cat]).astype(np.int64)
    ts = schema.TS
    return pa.Table.from_arrays([
        _ticket_ids(plan.months[m], n),
        pa.array(created, ts),
        plan.street_codes.take(pa.array(street)),
        plan.community_ids.take(pa.array(comm, mask=~placed)),
        _CAT.l1.take(pa.array(cat)),
        _CAT.l2.take(pa.array(cat)),
        _CHANNEL_NAMES.take(pa.array(channel)),
        pa.array(out["due"], ts),
        pa.array(out["contacted_at"], ts, mask=~out["contacted"]),
        pa.array(out["closed_at"], ts, mask=out["open"]),
        pa.array(out["valid"]),
        pa.array(out["contacted"]),
        pa.array(out["resolved"]),
        _SATISFACTION_NAMES.take(pa.array(out["satisfaction"], mask=~out["valid"])),
        pa.array(lat, mask=~placed),
        pa.array(lon, mask=~placed),
        _caller_keys(caller ^ plan.salt, anonymous),
        _CAT.templates.take(pa.array(template)),
    ], schema=schema.TABLES["tickets"])


def _draw_day_category(rng, daily: np.ndarray, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Day-of-month and category of `n` tickets, jointly: the expected (day, category)
    volumes with day-to-day noise and, in summer, a few storm days for rain categories."""
    weights = daily * np.exp(rng.normal(0, _DAY_NOISE_SD, len(days)))[:, None]
    if days[0].astype("datetime64[M]").astype(int) % 12 + 1 in (6, 7, 8):
        storms = rng.choice(len(days), _STORM_DAYS, replace=False)
        weights[np.ix_(storms, np.flatnonzero(_CAT.season == _SEASONS.index("rain")))] *= _STORM_FACTOR
    return np.divmod(_draw(rng, weights.ravel(), n), weights.shape[1])


def _repeat_callers(rng, day, cat, comm, caller, n_days: int) -> np.ndarray:
    """Turn some tickets into repeat-caller episodes, in place; returns their mask.

    An episode is one caller's 3–5 tickets within ±12 days of the first, about the same
    community and mostly the same category.
    """
    n = len(day)
    count = min(int(round(n * _REPEAT_SHARE / (_EPISODE_SIZES * _EPISODE_P).sum())), n // 6)
    sizes = _EPISODE_SIZES[_draw(rng, _EPISODE_P, count)]
    perm = rng.permutation(n)
    lead_of = np.repeat(perm[:count], sizes - 1)
    followers = perm[count:count + len(lead_of)]
    comm[followers] = comm[lead_of]
    same = rng.random(len(followers)) < _EPISODE_SAME_CATEGORY
    cat[followers] = np.where(same, cat[lead_of], cat[followers])
    lo = np.maximum(-_EPISODE_SPREAD_DAYS, -day[lead_of])
    hi = np.minimum(_EPISODE_SPREAD_DAYS, n_days - 1 - day[lead_of])
    day[followers] = day[lead_of] + lo + (rng.random(len(followers)) * (hi - lo + 1)).astype(np.int64)
    caller[followers] = caller[lead_of]
    mask = np.zeros(n, bool)
    mask[perm[:count + len(lead_of)]] = True
    return mask


def _created_us(rng, days: np.ndarray, day: np.ndarray, cat: np.ndarray) -> np.ndarray:
    """Creation times (µs since epoch, naive Beijing time): the day plus an hour drawn from
    the category's weekday or weekend profile, to the second."""
    date_us = days[day].astype("datetime64[us]").astype(np.int64)
    weekend = (days[day].astype(np.int64) + 3) % 7 >= 5
    profile = _CAT.evening[cat] * 2 + weekend
    u = rng.random(len(day))
    hour = np.empty(len(day), np.int64)
    for p in range(len(_HOUR_CDF)):
        sel = profile == p
        hour[sel] = np.searchsorted(_HOUR_CDF[p], u[sel], side="right")
    return date_us + (hour * 3600 + rng.integers(0, 3600, len(day))) * _US_PER_S


def _lognormal(rng, median_sigma: tuple[float, float], shift: np.ndarray) -> np.ndarray:
    median, sigma = median_sigma
    return median * np.exp(sigma * rng.standard_normal(len(shift)) + shift)


def _hours_us(hours: np.ndarray) -> np.ndarray:
    return np.round(hours * 3600).astype(np.int64) * _US_PER_S


def _outcomes(rng, plan: _Plan, m: int, created, cat, street, channel) -> dict[str, np.ndarray]:
    """Handling of each ticket: due time, contact and closing times, the callback and its
    answers.  Tickets whose closing lies after the data's end are still open: no callback."""
    n = len(created)
    limit_h = _CAT.limit_h[cat]
    q = plan.quality[:, m, street]
    contacted = rng.random(n) < _sigmoid(plan.base[0, m] + q[0])
    resolved = contacted & (rng.random(n) < _sigmoid(plan.base[1, m] + q[1] + _CAT.difficulty[cat]))
    slow = plan.slowness[m, street]
    contacted_at = created + _hours_us(np.minimum(limit_h, limits.CONTACT_LIMIT_H) * _lognormal(rng, _CONTACT_DELAY, slow))
    closed_at = created + _hours_us(limit_h * _lognormal(rng, _CLOSE_DELAY, slow))
    closed_at = np.where(contacted, np.maximum(closed_at, contacted_at + _MIN_CLOSE_AFTER_CONTACT_S * _US_PER_S),
                         closed_at)
    still_open = closed_at >= plan.end_us
    contacted &= contacted_at < plan.end_us
    valid = (rng.random(n) < np.array(_CALLBACK_VALID)[channel]) & ~still_open
    return {
        "due": created + limit_h * _US_PER_H,
        "contacted_at": contacted_at, "contacted": contacted,
        "closed_at": closed_at, "open": still_open,
        "valid": valid, "resolved": resolved & ~still_open,
        "satisfaction": _satisfaction(rng, resolved & ~still_open, _sigmoid(plan.base[2, m] + q[2])),
    }


def _satisfaction(rng, resolved: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Index into 满意/基本满意/不满意.  A resolved ticket's mix has expected 满意率 score
    `score` (满意 + 0.9 × 基本满意); an unresolved one has a fixed, mostly unhappy mix."""
    full = np.where(resolved, np.clip(1 - (1 - score) / (1 - _BASIC_FACTOR * _BASIC_SHARE), 0, 1),
                    _UNRESOLVED_MIX[0])
    basic = np.where(resolved, (1 - full) * _BASIC_SHARE, _UNRESOLVED_MIX[1])
    u = rng.random(len(resolved))
    return (u >= full).astype(np.int8) + (u >= full + basic)


def _locations(rng, plan: _Plan, comm: np.ndarray, street: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ticket points: the community's point jittered ≈150 m, kept inside the ticket's street
    (a point that falls outside falls back to the community's point)."""
    x, y = geo.to_local_m(plan.community_lon[comm], plan.community_lat[comm])
    n = len(comm)
    lon, lat = geo.from_local_m(x + rng.normal(0, _JITTER_M, n), y + rng.normal(0, _JITTER_M, n))
    for s, polygon in enumerate(plan.street_polygons):
        sel = np.flatnonzero(street == s)
        out = sel[~shapely.contains_xy(polygon, lon[sel], lat[sel])]
        lon[out], lat[out] = plan.community_lon[comm[out]], plan.community_lat[comm[out]]
    return lon, lat


def _caller_keys(ids: np.ndarray, anonymous: np.ndarray) -> pa.Array:
    """16-hex-digit caller keys: splitmix64 of the salted caller number (a keyed-hash
    stand-in: distinct callers get distinct keys, and nothing leads back to a number)."""
    z = ids + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    digits = _HEX_DIGITS[(z[:, None] >> _NIBBLE_SHIFTS) & np.uint64(15)]
    return pa.array(np.ascontiguousarray(digits).view("S16").ravel(), mask=anonymous).cast(pa.string())


def _ticket_ids(month: np.datetime64, n: int) -> pa.Array:
    """'XC' + YYYYMM + a 7-digit sequence number in creation order, e.g. XC2024050000123."""
    yyyymm = int(str(month).replace("-", ""))
    numbers = pa.array(yyyymm * 10**7 + np.arange(1, n + 1, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise("XC", numbers, "")
