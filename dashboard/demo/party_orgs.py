"""The party layer's organisations: units, party organisations, pairings and their activities.

Units are the named departments and utilities, eight 科站队所 in each street and the stationed
units (驻区单位), named after places of their street.  Organisations form the hierarchy 区委 →
15 街道工委 → 263 社区党委 → 网格党支部 and 项目党支部, with 机关企事业党支部 and 两新党组织
tied to units, and a 党建工作协调委员会 at each level; the counts and members on the last day
are the published ones.  Pairings (结对共建) tie agency and enterprise branches to communities.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import catalogue
from .party_catalogue import NAMED_UNITS, ORGANISATIONS, PAIRINGS, UNIT_TEMPLATES, UNITS
from .party_world import NAT, World, cn_number, days_between, numbered, pick, spans
from .sampling import draw, split_integer

DISTRICT_FOUNDED = np.datetime64("2010-07-01")   # today's Xicheng: 西城 and 宣武 merged in 2010 [E]
AGENCY_KINDS = ("中央单位", "市属单位", "区级部门", "街道科站队所", "学校", "医院")
_COMMITTEES_FROM, _COMMITTEES_TO = np.datetime64("2019-01-01"), np.datetime64("2020-12-31")
_DAYS_PER_YEAR = 365

ORG_COLUMNS = ("org_id", "parent_org_id", "name_zh", "level", "kind", "street_code", "community_id", "unit_id",
               "role", "set_up_on", "closed_on", "project")


def unit_table(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """The units: named departments and utilities, each street's 科站队所, stationed units.

    Besides the schema's columns: `answers` (the ticket categories it answers whistles about),
    `street` (street index or −1) and `named` (from party_units.csv).
    """
    rows = [(u.name, u.kind, -1, u.answers, True) for u in NAMED_UNITS]
    stations = [t for t in UNIT_TEMPLATES if t.kind == "街道科站队所"]
    rows += [(t.name.format(street=short), t.kind, s, t.answers, False)
             for s, short in enumerate(world.street_short) for t in stations]
    used = {r[0] for r in rows}
    for kind, count in UNITS["stationed"].items():
        templates = [t for t in UNIT_TEMPLATES if t.kind == kind]
        for s in np.sort(draw(rng, world.street_weight, count)):
            stems = catalogue.COMMUNITY_STEMS[world.street_short[s]]
            for _ in range(100):   # a name not used yet: another place or template
                t = templates[rng.integers(len(templates))]
                name = t.name.format(place=stems[rng.integers(len(stems))])
                if name not in used:
                    break
            else:
                raise RuntimeError(f"ran out of {kind} names in {world.street_short[s]}")
            used.add(name)
            rows.append((name, kind, int(s), t.answers, False))
    name, kind, street, answers, named = (list(c) for c in zip(*rows))
    street = np.array(street)
    return pd.DataFrame({
        "unit_id": numbered("U", len(rows), 4), "name_zh": name, "kind": kind,
        "street_code": np.where(street >= 0, world.street_codes[street], None),
        "answers": answers, "street": street, "named": named,
    })


class _Orgs:
    """Organisations as they are added: one list per column, ids in order."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {c: [] for c in ORG_COLUMNS}

    def add(self, n: int, **values) -> list[str]:
        """Add `n` organisations; each value is a scalar or a sequence of `n`; returns their ids."""
        start = len(self.cols["org_id"])
        ids = [f"O{i:05d}" for i in range(start + 1, start + n + 1)]
        for c in ORG_COLUMNS:
            v = ids if c == "org_id" else values.get(c)
            self.cols[c] += list(v) if isinstance(v, list | tuple | np.ndarray) else [v] * n
        return ids


def org_table(world: World, units: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Every party organisation and coordination committee, with members and dates.

    Besides the schema's columns, `role` tells 区委 / 街道工委 / 社区党委 / 网格党支部 / …
    """
    spec, as_of = ORGANISATIONS, world.as_of
    o = _Orgs()
    n_s, n_c = len(world.street_codes), len(world.community_ids)
    district = o.add(1, name_zh="中共北京市西城区委员会", level="区", kind="党委", role="区委", set_up_on=DISTRICT_FOUNDED)[0]
    street_org = np.array(o.add(n_s, parent_org_id=district, name_zh=[f"{n}工委" for n in world.street_names],
                                level="街道", kind="党委", street_code=world.street_codes, role="街道工委",
                                set_up_on=DISTRICT_FOUNDED), dtype=object)
    community_org = np.array(o.add(
        n_c, parent_org_id=street_org[world.street_of], name_zh=[f"{n}党委" for n in world.community_names],
        level="社区", kind="党委", street_code=world.street_codes[world.street_of], community_id=world.community_ids,
        role="社区党委", set_up_on=days_between(rng, "2000-01-01", "2012-12-31", n_c)), dtype=object)
    _grid_branches(world, o, community_org, rng)
    _project_branches(world, o, street_org, community_org, rng)
    agency = _agency_branches(world, o, units, district, street_org, rng)
    active_so_far = sum(c is None for c in o.cols["closed_on"])
    _two_new(world, o, units, street_org, spec["total"] - active_so_far, rng)
    committees = (("区", np.array([district], dtype=object), ["西城区"], None, None),
                  ("街道", street_org, world.street_names, world.street_codes, None),
                  ("社区", community_org, world.community_names, world.street_codes[world.street_of],
                   world.community_ids))
    for level, parent, names, street, community in committees:   # 党建工作协调委员会 at each level
        o.add(len(parent), parent_org_id=parent, name_zh=[f"{n}党建工作协调委员会" for n in names], level=level,
              kind="党建协调委员会", street_code=street, community_id=community, role="协调委员会",
              set_up_on=days_between(rng, _COMMITTEES_FROM, _COMMITTEES_TO, len(parent)))
    for c in ("set_up_on", "closed_on"):
        o.cols[c] = np.array([NAT if v is None else v for v in o.cols[c]], dtype="datetime64[D]")
    orgs = pd.DataFrame(o.cols)
    orgs["members"] = _members(orgs, as_of, rng)
    orgs["agency"] = orgs["org_id"].isin(agency)
    return orgs


def _grid_branches(world: World, o: _Orgs, community_org: np.ndarray, rng) -> None:
    """网格党支部: at least two per community, the rest by residents."""
    n_c = len(community_org)
    per = 2 + split_integer(ORGANISATIONS["grid_branches"] - 2 * n_c, world.population.astype(float))
    c = np.repeat(np.arange(n_c), per)
    k = np.concatenate([np.arange(1, p + 1) for p in per])
    o.add(len(c), parent_org_id=community_org[c], level="网格", kind="党支部", role="网格党支部",
          name_zh=[f"{world.places[i]}第{cn_number(j)}网格党支部" for i, j in zip(c, k)],
          street_code=world.street_codes[world.street_of[c]], community_id=world.community_ids[c],
          set_up_on=days_between(rng, "2015-01-01", "2021-12-31", len(c)))


def _project_branches(world: World, o: _Orgs, street_org, community_org, rng) -> None:
    """项目党支部: the published number active on the last day, and some closed with their project."""
    spec, as_of = ORGANISATIONS, world.as_of
    active, closed = spec["project_branches"], spec["closed_project_branches"]
    n = active + closed
    kind = pick(rng, spec["project_kinds"], spec["project_kind_weights"], n)
    street_wide = np.isin(kind, spec["street_project_kinds"])
    c = draw(rng, world.population.astype(float), n)
    s = world.street_of[c]
    base = np.where(street_wide, world.street_short[s], world.places[c])
    seen: dict[str, int] = {}
    project = []
    for b, k in zip(base, kind):   # the same project again in the same place: 二期, 三期, …
        seen[b + k] = seen.get(b + k, 0) + 1
        project.append(f"{b}{k}" + (f"{cn_number(seen[b + k])}期" if seen[b + k] > 1 else ""))
    set_up = np.concatenate([as_of - spans(rng, 7, 6 * _DAYS_PER_YEAR, active),
                             as_of - spans(rng, _DAYS_PER_YEAR, 7 * _DAYS_PER_YEAR, closed)])
    closed_on = np.minimum(set_up + spans(rng, 180, 3 * _DAYS_PER_YEAR, n), as_of - 1)
    o.add(n, parent_org_id=np.where(street_wide, street_org[s], community_org[c]),
          name_zh=[f"{p}项目党支部" for p in project], level=np.where(street_wide, "街道", "社区"), kind="项目党支部",
          street_code=world.street_codes[s], community_id=np.where(street_wide, None, world.community_ids[c]),
          role="项目党支部", set_up_on=set_up, project=project,
          closed_on=[None] * active + list(closed_on[active:]))


def _agency_branches(world: World, o: _Orgs, units: pd.DataFrame, district, street_org, rng) -> list[str]:
    """机关企事业党支部: at least one in every agency unit, more in big ones; returns their ids."""
    spec = ORGANISATIONS
    is_agency = units["kind"].isin(AGENCY_KINDS) | (units["named"] & (units["kind"] == "企业"))
    u = units[is_agency]
    weight = u["kind"].map(spec["branches_per_unit"]).to_numpy() * rng.lognormal(0, 0.5, len(u))
    per = 1 + split_integer(spec["agency_branches"] - len(u), weight)
    ids = []
    for row, k in zip(u.itertuples(), per):
        office = "机关" if row.kind == "区级部门" else ""
        names = [f"{row.name_zh}{office}党支部"] if k == 1 else \
            [f"{row.name_zh}{office}第{cn_number(j)}党支部" for j in range(1, k + 1)]
        parent = street_org[row.street] if row.kind == "街道科站队所" else \
            district if row.kind in ("区级部门", "学校", "医院") else None
        ids += o.add(int(k), parent_org_id=parent, name_zh=names, level="单位", kind="机关企事业党支部",
                     street_code=row.street_code, unit_id=row.unit_id, role="机关企事业党支部",
                     set_up_on=days_between(rng, "1990-01-01", world.as_of - 400, int(k)))
    return ids


def _two_new(world: World, o: _Orgs, units: pd.DataFrame, street_org, count: int, rng) -> None:
    """两新党组织: one in each enterprise and social unit, the rest joint branches of buildings,
    shopping areas and trades; and a few joint branches that have closed."""
    spec, as_of = ORGANISATIONS, world.as_of
    u = units[~units["named"] & units["kind"].isin(("企业", "社会单位"))]
    if count < len(u):
        raise ValueError("party.toml: too few organisations left for the 两新 units")
    o.add(len(u), parent_org_id=street_org[u["street"].to_numpy()], name_zh=[f"{n}党支部" for n in u["name_zh"]],
          level="单位", kind="两新党组织", street_code=u["street_code"].to_numpy(), unit_id=u["unit_id"].to_numpy(),
          role="两新党组织", set_up_on=days_between(rng, "2008-01-01", as_of - 30, len(u)))
    joint, closed = count - len(u), spec["closed_unit_branches"]
    s = np.sort(draw(rng, world.street_weight, joint + closed))
    used: set[str] = set()
    names = []
    for street in s:
        stems = catalogue.COMMUNITY_STEMS[world.street_short[street]]
        for _ in range(100):
            name = spec["joint_branches"][rng.integers(len(spec["joint_branches"]))].format(
                place=stems[rng.integers(len(stems))])
            if name not in used:
                break
        else:
            raise RuntimeError("ran out of joint branch names")
        used.add(name)
        names.append(name)
    set_up = days_between(rng, "2008-01-01", as_of - 400, joint + closed)
    shut = rng.permutation(joint + closed) < closed
    closed_on = np.minimum(set_up + spans(rng, _DAYS_PER_YEAR, 8 * _DAYS_PER_YEAR, joint + closed), as_of - 1)
    o.add(joint + closed, parent_org_id=street_org[s], name_zh=names, level="单位", kind="两新党组织",
          street_code=world.street_codes[s], role="两新党组织", set_up_on=set_up,
          closed_on=[c if x else None for c, x in zip(closed_on, shut)])


def _members(orgs: pd.DataFrame, as_of: np.datetime64, rng) -> np.ndarray:
    """Members: the published total over the organisations active on `as_of`, by role and
    size; closed organisations keep what they had; the 区委 and the committees hold none."""
    spec = ORGANISATIONS
    weight = orgs["role"].map(spec["member_weight"]).fillna(0).to_numpy() * \
        rng.lognormal(0, spec["member_spread_sd"], len(orgs))
    active = orgs["closed_on"].isna().to_numpy() | (orgs["closed_on"] > as_of).to_numpy()
    counted = active & (weight > 0)
    floor = spec["min_members"]
    members = np.zeros(len(orgs), dtype=np.int64)
    members[counted] = floor + split_integer(spec["members"] - floor * counted.sum(), weight[counted])
    mean = spec["members"] / counted.sum()
    gone = ~active & (weight > 0)
    members[gone] = np.maximum(floor, np.round(weight[gone] / weight[counted].mean() * mean)).astype(np.int64)
    return members


def pairing_tables(world: World, orgs: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pairings of agency / enterprise branches with communities, and their activities per quarter.

    On the last day the published number of pairings is active, one branch each; every community
    has had one, a few have none active any more; some pairings ended over the years.
    """
    spec, as_of = PAIRINGS, world.as_of
    n_c = len(world.community_ids)
    branches = orgs[orgs["agency"] | ((orgs["role"] == "两新党组织") & orgs["unit_id"].notna())]
    street_index = {c: i for i, c in enumerate(world.street_codes)}
    branch_street = np.array([street_index.get(s, -1) for s in branches["street_code"]])
    live = branches["closed_on"].isna().to_numpy()
    without = rng.choice(n_c, spec["communities_without_active"], replace=False)
    paired = np.setdiff1d(np.arange(n_c), without)
    extra = split_integer(spec["active"] - len(paired), world.population[paired].astype(float))
    slots = rng.permutation(np.repeat(paired, 1 + extra))
    used = ~live
    chosen = np.empty(len(slots), dtype=np.int64)
    for i, c in enumerate(slots):
        near = ~used & (branch_street == world.street_of[c])
        pool = near if near.any() and rng.random() < spec["same_street"] else ~used
        chosen[i] = rng.choice(np.flatnonzero(pool))
        used[chosen[i]] = True
    set_up = branches["set_up_on"].to_numpy().astype("datetime64[D]")
    ended_in = np.concatenate([without, rng.choice(paired, spec["extra_ended"], replace=False)])
    old_enough = np.flatnonzero(live & (set_up < as_of - 8 * _DAYS_PER_YEAR - 30))   # there before it started
    ended_by = old_enough[rng.integers(0, len(old_enough), len(ended_in))]
    started = np.concatenate([
        np.maximum(as_of - spans(rng, 30, 7 * _DAYS_PER_YEAR, len(slots)), set_up[chosen] + 30),
        as_of - spans(rng, 3 * _DAYS_PER_YEAR, 8 * _DAYS_PER_YEAR, len(ended_in))])
    ended = np.minimum(started[len(slots):] + spans(rng, _DAYS_PER_YEAR, 4 * _DAYS_PER_YEAR, len(ended_in)), as_of - 30)
    community = np.concatenate([slots, ended_in])
    pairings = pd.DataFrame({
        "pairing_id": numbered("P", len(community), 4),
        "org_id": branches["org_id"].to_numpy()[np.concatenate([chosen, ended_by])],
        "community_id": world.community_ids[community],
        "street_code": world.street_codes[world.street_of[community]],
        "started_on": started, "ended_on": np.concatenate([np.full(len(slots), NAT), ended]),
    })
    return pairings, _activities(world, pairings, rng)


def _activities(world: World, pairings: pd.DataFrame, rng) -> pd.DataFrame:
    """Activities of every pairing in every quarter of the ticket window it was active in:
    a Poisson count at the pair's own rate (some pairs very active, some dormant), in
    proportion to the part of the quarter it was active (the last quarter runs to the last day)."""
    spec = PAIRINGS
    first = world.first_day.astype("datetime64[M]")
    first = first - (first.astype(np.int64) % 3)
    quarters = np.arange(first, world.as_of.astype("datetime64[M]") + 1, 3).astype("datetime64[D]")
    q_end = np.minimum((quarters.astype("datetime64[M]") + 3).astype("datetime64[D]") - 1, world.as_of)
    start = pairings["started_on"].to_numpy().astype("datetime64[D]")[:, None]
    end = pairings["ended_on"].to_numpy().astype("datetime64[D]")
    end = np.where(np.isnat(end), world.as_of, end)[:, None]
    overlap = (np.minimum(end, q_end) - np.maximum(start, quarters)).astype(np.int64) + 1
    full = ((quarters.astype("datetime64[M]") + 3).astype("datetime64[D]") - quarters).astype(np.int64)
    rate = rng.gamma(spec["activity_shape"], spec["activity_mean"] / spec["activity_shape"], len(pairings))
    rate[rng.random(len(pairings)) < spec["dormant"]] *= 0.05
    expected = rate[:, None] * np.clip(overlap, 0, None) / full
    p, q = np.nonzero(overlap > 0)
    return pd.DataFrame({
        "pairing_id": pairings["pairing_id"].to_numpy()[p], "quarter_start": quarters[q],
        "activities": rng.poisson(expected[p, q]),
    })
