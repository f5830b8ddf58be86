"""12345 ticket exports -> canonical ticket rows (schema.TABLES['tickets']).

Columns of real Beijing 12345 exports and the canonical English names are both read.
What exports do not carry gets a documented default:

    channel        '12345'
    due_at         created_at + the category's time limit (北京 12345热线服务与管理规范 [S]):
                   2 h emergencies, 24 h 水电气热, 7 days everything else
    contacted_at   null (exports record only 是否联系)
    category_l2    '未细分' when blank (三级分类 is read but the schema keeps two levels)
    是否有效回访 / 是否联系 / 是否解决 blank -> 否 (a ticket not yet called back is no valid callback)
    community_id   null when 所属社区 is blank or not a community of the ticket's street
    street         被反映街乡镇; only when it is blank, 二级承办单位简称 when that names a street.
                   A street named but not one of the district's is quarantined (未知街道, or
                   非本区街道 when it names another district or a 乡/镇)

Callers' names and numbers are used for caller_key and masking, then dropped.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pandas as pd

from ..core import limits, schema
from ..core.privacy import caller_key, mask_text
from .readers import RawTable, parse_bools
from .records import (
    POINT_ALIASES,
    Prepared,
    Reasons,
    Reference,
    check_extra_cells,
    coordinates,
    keep_last,
    rejects_frame,
    resolve_communities,
    resolve_streets,
    timestamps,
)

ALIASES = {
    "ticket_id": ("工单编号", "工单号", "编号"),
    "created_at": ("创建时间", "登记时间", "受理时间", "来电时间"),
    "closed_at": ("办结时间", "结案时间"),
    "category_l1": ("一级分类",),
    "category_l2": ("二级分类",),
    "category_l3": ("三级分类",),
    "content": ("主要内容", "诉求内容", "来电内容"),
    "handler_unit": ("二级承办单位简称", "二级承办单位", "承办单位"),
    "street": ("street_code", "被反映街乡镇", "街乡镇", "所属街道", "街道"),
    "community": ("community_id", "所属社区", "社区"),
    "callback_valid": ("是否有效回访",),
    "contacted": ("是否联系",),
    "resolved": ("是否解决",),
    "satisfaction": ("是否满意", "满意度"),
    "phone": ("来电号码", "联系电话", "电话", "手机号", "phone"),
    "caller_name": ("联系人", "来电人", "姓名", "caller_name"),
    **POINT_ALIASES,
    "channel": ("来源渠道", "渠道"),
    "due_at": ("截止时间", "办理时限"),
    "contacted_at": ("联系时间", "首次联系时间"),
    "caller_key": (),
}
REQUIRED = ("ticket_id", "created_at", ("street", "handler_unit"), "category_l1",
            "callback_valid", "contacted", "resolved", "satisfaction")
LABELS = {"ticket_id": "工单编号", "created_at": "创建时间", "street": "被反映街乡镇",
          "handler_unit": "二级承办单位简称", "category_l1": "一级分类", "callback_valid": "是否有效回访",
          "contacted": "是否联系", "resolved": "是否解决", "satisfaction": "是否满意"}

DEFAULT_CHANNEL = "12345"
DEFAULT_L2 = "未细分"
# Time-limit classes (core/limits.py) by words in the category texts, emergencies first
# (燃气泄漏 is an emergency, 燃气 in general is 水电气热); anything else is general.
LIMIT_WORDS = (
    ("emergency", ("扬言", "消防", "燃气泄漏", "紧急", "突发")),
    ("utility", ("供水", "停水", "排水", "供电", "停电", "燃气", "供气", "供暖", "供热", "暖气", "水电气热")),
)
EARLIEST = datetime(2000, 1, 1)
# a street field naming another district, or a 乡 / 镇 (西城 has only 街道): outside the district
OTHER_PLACES = (r"东城|朝阳|海淀|丰台|石景山|门头沟|房山|通州|顺义|昌平|大兴|怀柔|平谷|密云|延庆|"
                r"[^街]乡$|镇$|地区$|[^西]城区")
_CALLER_KEY = re.compile(r"^[0-9a-f]{16}$")


def time_limit_hours(*categories: str) -> int:
    """The handling time limit of a ticket from its category texts."""
    text = "".join(c for c in categories if c)
    for key, words in LIMIT_WORDS:
        if any(w in text for w in words):
            return limits.hours_of(key)
    return limits.hours_of("general")


def prepare(raw: RawTable, ref: Reference, crs: str, secret: bytes, now: datetime) -> Prepared:
    """Check and convert the rows of one ticket export."""
    r = Reasons(raw.cells.index)
    check_extra_cells(raw, r)
    tid = raw.text("ticket_id")
    r.add(tid == "", "缺少工单编号")

    created = timestamps(raw, r, "created_at", "创建时间")
    r.add(raw.field("created_at") == "", "缺少创建时间")
    r.add((created < EARLIEST) | (created > now + timedelta(days=1)), "创建时间不在合理范围（2000年至今）")
    closed = timestamps(raw, r, "closed_at", "办结时间")
    r.add(closed < created, "办结时间早于创建时间")
    contacted_at = timestamps(raw, r, "contacted_at", "联系时间")
    r.add(contacted_at < created, "联系时间早于创建时间")
    due = timestamps(raw, r, "due_at", "截止时间")
    r.add(due < created, "截止时间早于创建时间")

    street_raw, unit_raw = raw.text("street"), raw.text("handler_unit")
    # the handling unit stands in only for a blank 被反映街乡镇: a street named but not matched is
    # quarantined, never counted for the street of whoever handled it
    named = street_raw != ""
    street = resolve_streets(street_raw, ref.lookup).where(named, resolve_streets(unit_raw, ref.lookup))
    elsewhere = street_raw.str.contains(OTHER_PLACES, regex=True)
    r.add(street.isna() & named & elsewhere, "非本区街道：", street_raw)
    r.add(street.isna() & named & ~elsewhere, "未知街道：", street_raw)
    r.add(street.isna() & ~named & (unit_raw != ""), "未知街道：", unit_raw)
    r.add((street_raw == "") & (unit_raw == ""), "缺少街道（被反映街乡镇）")
    community, unknown_community = resolve_communities(ref.communities, street, raw.text("community"))

    l1, l2, l3 = raw.text("category_l1"), raw.text("category_l2"), raw.text("category_l3")
    r.add(l1 == "", "缺少一级分类")
    flags = {}
    for name in ("callback_valid", "contacted", "resolved"):
        flags[name], bad = parse_bools(raw.field(name))
        r.add(bad, f"{LABELS[name]}取值无法识别：", raw.field(name))
    sat = raw.text("satisfaction")
    r.add(~sat.isin(["", *schema.SATISFACTION_VALUES]), "是否满意取值无法识别：", sat)
    lat, lon = coordinates(raw, r, ref, crs, required=False)

    hours = {k: time_limit_hours(*k) for k in set(zip(l1, l2, l3))}  # few categories, many rows
    limits = pd.Series(pd.to_timedelta([hours[k] for k in zip(l1, l2, l3)], unit="h"), index=created.index)
    names = raw.field("caller_name")
    if raw.has("phone"):
        keys = raw.field("phone").map(lambda v: caller_key(v, secret))
    else:  # a canonical file may carry keys already; anything else in that column is dropped
        keys = raw.text("caller_key").map(lambda v: v if _CALLER_KEY.match(v) else None)
    content = [mask_text(t, (n,)) if t else None for t, n in zip(raw.field("content"), names)]
    channel = raw.text("channel")
    df = pd.DataFrame({
        "ticket_id": tid, "created_at": created, "street_code": street, "community_id": community,
        "category_l1": l1, "category_l2": l2.where(l2 != "", DEFAULT_L2),
        "channel": channel.where(channel != "", DEFAULT_CHANNEL),
        "due_at": due.fillna(created + limits), "contacted_at": contacted_at, "closed_at": closed,
        **flags, "satisfaction": sat.where(sat != "", None),
        "lat": lat, "lon": lon, "caller_key": keys, "content": content,
    })
    ok = r.ok
    table, dupes = keep_last(df.loc[ok], "ticket_id")
    notes = []
    n_unknown = int((unknown_community & ok).sum())
    if n_unknown:
        examples = "、".join(dict.fromkeys(raw.text("community")[unknown_community & ok]))
        notes.append(f"社区未识别 {n_unknown} 行（社区置空，未隔离）：{examples[:60]}")
    # columns the import does not know may hold personal data too (地址, 身份证号 ...): masked as text
    rejects = rejects_frame(raw, r, name_cols=raw.fields.get("caller_name", []),
                            text_cols=[*raw.fields.get("phone", []), *raw.fields.get("content", []), *raw.ignored])
    last = table["created_at"].max()
    return Prepared(table, rejects, dupes, notes, None if pd.isna(last) else last.date())
