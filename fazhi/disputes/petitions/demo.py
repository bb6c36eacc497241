"""Demo petitions 信访 of report part (六), written through ``procedures.demodata.DemoMatters``.

The year's cohort gives the seed report's figures from its records: every petition the office
registered is routed or refused within 15 days, every handling organ answers within 15 days
(100%, 100%); 1 claim is diverted to reconsideration (linked to an application the
reconsideration demo registered) and 222 to people's mediation; of the 137 first-time claims
concluded by year end, 8 were not resolved at once (5 brought a repeat petition, 3 a request
for review): 129 / 137 = 94.16%. Suggestions, accusations, refusals, petitions still open at
year end and a few repeat petitions fill in the rest.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any, TypeVar, cast

from fazhi.core import clock
from fazhi.core.models import OrgKind, OrgUnit
from fazhi.procedures.declarations import all_procedures
from fazhi.procedures.demodata import DemoMatter, DemoMatters, already_built, later, spread, unit
from fazhi.procedures.models import Matter

OFFICE = "区信访局"
FIRST_CLEAN, FIRST_REPEATED, FIRST_REVIEWED = 129, 5, 3
TO_MEDIATION = 222
CLAIMS = [
    "反映拖欠农民工工资问题",
    "反映小区物业服务不到位问题",
    "反映房屋征收补偿问题",
    "反映冬季供暖温度不达标问题",
    "反映夜间施工噪音扰民问题",
    "反映邻里违章搭建问题",
    "反映养老保险待遇核定问题",
    "反映商品房逾期办证问题",
]
SUGGESTIONS = ["建议增设社区公交线路", "建议完善老旧小区加装电梯政策", "建议增加公园健身设施"]
ACCUSATIONS = ["检举某餐饮店违规排污", "控告某物业公司强制收费", "检举某工地违规用工"]
SURNAMES = "王李张刘陈杨赵黄周吴孙马朱胡郭"
GIVEN = "建国秀英志强海燕玉兰春生德胜丽华"


def _party(rng: random.Random) -> dict[str, str]:
    from stdnum.cn import ric

    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))
    first17 = f"220302{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
        "kind": "person",
        "id_number": first17 + ric.calc_check_digit(first17 + "0"),
        "phone": f"13{rng.randrange(10**9):09d}",
        "address": "吉林省四平市铁西区北沟街道" + str(rng.randrange(1, 300)) + "号",
    }


class _Year:
    """The petitions of one demo year, collected in ``demo``."""

    def __init__(self, root: OrgUnit, year: int, rng: random.Random) -> None:
        self.rng = rng
        self.demo = DemoMatters()
        self.office = unit(root, OFFICE)
        self.organs = list(
            OrgUnit.objects.subtree_of(root)
            .filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.STREET, OrgKind.TOWNSHIP])
            .exclude(pk=self.office.pk)
            .order_by("pk")
        )
        self.cutoff = dt.date(year, 12, 31)
        self.year = year

    def petition(
        self,
        received: dt.date,
        category: str,
        *,
        first_time: bool = True,
        repeat_of: DemoMatter | None = None,
        party: dict[str, str] | None = None,
        subject: str = "",
        office: bool | None = None,
        route: bool = True,
    ) -> tuple[DemoMatter, dt.date]:
        """A registered petition that reached its handling organ: routed by the office, or
        received directly. Returns it and the day the organ got it."""
        rng = self.rng
        office = rng.random() < 0.7 if office is None else office
        organ = rng.choice(self.organs)
        texts = {"claim": CLAIMS, "suggestion": SUGGESTIONS, "accusation": ACCUSATIONS}[category]
        details: dict[str, Any] = {"category": category, "first_time": first_time, "office": office}
        if repeat_of is not None:
            details["repeat_of"] = repeat_of.record["reference"]
        m = self.demo.add(
            "petition",
            org=self.office if office else organ,
            received_on=received,
            subject=subject or rng.choice(texts),
            channel=rng.choice(["window", "letter", "web", "phone"]),
            party=party or _party(rng),
            details=details,
        )
        got = received
        if office and route:
            got = later(received, rng, 1, 10, self.cutoff)
            m.step("route", got, mode=rng.choice(["assigned", "forwarded"]), to_org=organ.name)
        return m, got

    def accepted(
        self, received: dt.date, category: str = "claim", **kw: Any
    ) -> tuple[DemoMatter, dt.date]:
        m, got = self.petition(received, category, **kw)
        accepted = later(got, self.rng, 1, 10, self.cutoff)
        m.step("accept", accepted)
        return m, accepted

    def concluded(
        self, received: dt.date, category: str = "claim", **kw: Any
    ) -> tuple[DemoMatter, dt.date]:
        m, accepted = self.accepted(received, category, **kw)
        done = later(accepted, self.rng, 15, 55, self.cutoff)
        m.step("conclude", done, opinion="经调查核实，已依法依规作出处理，并书面告知信访人。")
        return m, done


def _reconsideration_for(year: int) -> Matter | None:
    """An application the reconsideration demo registered in ``year`` after 1 February (the
    petition diverted into it comes a few weeks earlier)."""
    return (
        Matter.objects.of("reconsideration")
        .received_in(year)
        .filter(received_on__gte=dt.date(year, 2, 1))
        .order_by("received_on", "pk")
        .first()
    )


def build(root: OrgUnit, year: int) -> str:
    if already_built("petition", year):
        return ""
    rng = random.Random(year * 11)
    y = _Year(root, year, rng)
    # first-time claims concluded by year end: 129 resolved at once, 5 repeated, 3 reviewed
    firsts = spread(
        rng, year, FIRST_CLEAN - 1 + FIRST_REPEATED + FIRST_REVIEWED, last=dt.date(year, 9, 20)
    )
    # (one more clean one below: its opinion took the 30 more days)
    plan = ["clean"] * (FIRST_CLEAN - 1) + ["repeated"] * FIRST_REPEATED
    plan += ["reviewed"] * FIRST_REVIEWED
    rng.shuffle(plan)
    repeats: list[tuple[DemoMatter, dt.date]] = []
    for received, path in zip(firsts, plan, strict=True):
        party = _party(rng)
        subject = rng.choice(CLAIMS)
        m, done = y.concluded(received, party=party, subject=subject)
        if path == "repeated":
            repeats.append((m, done))
        elif path == "reviewed":
            asked = later(done, rng, 3, 20, y.cutoff)
            m.step("request_review", asked)
            m.step(
                "review_opinion", later(asked, rng, 10, 25, y.cutoff), opinion="维持原处理意见。"
            )
    # the repeat petitions: the same petitioner on the same matter after the opinion
    for original, done in repeats:
        again = later(done, rng, 5, 30, y.cutoff)
        m, _accepted = y.accepted(
            again,
            first_time=False,
            repeat_of=original,
            party=original.record["party"],
            subject=original.record["subject"],
        )
    # claims diverted into statutory channels: people's mediation, and one reconsideration
    for received in spread(rng, year, TO_MEDIATION, last=dt.date(year, 12, 10)):
        m, accepted = y.accepted(received)
        m.step("divert", later(accepted, rng, 1, 5, y.cutoff), channel="mediation", venue="people")
    target = _reconsideration_for(year)
    if target is not None:
        m, accepted = y.accepted(target.received_on - dt.timedelta(days=25), office=False)
        m.step(
            "divert",
            min(target.received_on, later(accepted, rng, 1, 5, y.cutoff)),
            channel="reconsideration",
            target_reference=target.reference,
        )
    else:  # no reconsideration registered here: the step records the channel alone
        m, accepted = y.accepted(dt.date(year, 3, 4), office=False)
        m.step("divert", later(accepted, rng, 1, 5, y.cutoff), channel="reconsideration")
    # the first-time claim whose opinion needed the 30 more days (approved); claims not first-time
    m, accepted = y.accepted(dt.date(year, 4, 8))
    m.step(
        "extend", accepted + dt.timedelta(days=50), days=30, reason="情况复杂，经负责人批准延期。"
    )
    m.step("conclude", accepted + dt.timedelta(days=80), opinion="已协调解决。")
    for received in spread(rng, year, 5, last=dt.date(year, 9, 30)):
        y.concluded(received, first_time=False)
    # suggestions and accusations
    for received in spread(rng, year, 30, last=dt.date(year, 11, 30)):
        y.concluded(received, "suggestion")
    for received in spread(rng, year, 20, last=dt.date(year, 11, 30)):
        y.concluded(received, "accusation")
    # refusals: by the office, and by the organ a petition was routed to
    for received in spread(rng, year, 6, last=dt.date(year, 11, 30)):
        m, _got = y.petition(received, "claim", office=True, route=False)
        m.step(
            "refuse", later(received, rng, 2, 10, y.cutoff), reason="已经或者依法应当通过诉讼解决。"
        )
    for received in spread(rng, year, 4, last=dt.date(year, 11, 30)):
        m, got = y.petition(received, "claim", office=True)
        m.step("refuse", later(got, rng, 2, 10, y.cutoff), reason="不属于本机关法定职权范围。")
    # still open at year end, within their limits
    for day in range(20, 30):
        y.petition(dt.date(year, 12, day), rng.choice(["claim", "suggestion"]), office=True)
    total = len(y.demo)
    current = _current(y)
    y.demo.save("信访")
    return (
        f"{year}年信访事项{total - current}件（导入人民调解{TO_MEDIATION}件）；当前在办{current}件"
    )


def _current(y: _Year) -> int:
    """A few petitions of the last days, open in the workbench (when the demo year is past)."""
    today = clock.today()
    if today.year == y.year or already_built("petition", today.year):
        return 0
    y.cutoff = today
    for back in (1, 6, 12):
        received = today - dt.timedelta(days=back)
        m, got = y.petition(received, "claim", office=True)
        if back > 5 and got < today:
            m.step("accept", got)
    return 3


Builder = TypeVar("Builder", bound=Callable[[OrgUnit, int], str])


def after(build_first: Builder) -> Builder:
    """``build_first`` (the disputes domain's own demo) followed by the petitions' ``build``:
    the one diversion into reconsideration names an application that demo registered."""

    def both(root: OrgUnit, year: int) -> str:
        first = build_first(root, year)
        if "petition" not in {p.code for p in all_procedures()}:
            return first
        petitions = build(root, year)
        return "；".join(s for s in (first, petitions) if s)

    both.__doc__ = build_first.__doc__
    return cast(Builder, both)
