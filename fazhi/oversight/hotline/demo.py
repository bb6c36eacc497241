"""The demo year's 12345 hotline work orders: about 13,600 orders dispatched to the district's
departments and streets, written through the bulk import (``DemoMatters``) so that every order
is replayed through the same rules as a clerk's steps; "办结…平台群众反映问题13000余件" and
the three rates are then computed from them.

Deterministic (one seeded generator): signed on the day or the next working day (a few late),
concluded in 1–6 working days (urgent ones within hours), most revisited, some returned with the
dispatcher's approval, a few reopened and concluded again, the last days of December still open.
"""

from __future__ import annotations

import datetime as dt
import random

from fazhi.core.models import OrgUnit
from fazhi.procedures.demodata import DemoMatters, already_built, unit
from fazhi.workdays import SHANGHAI, Calendar

ORDERS = 13_650

# category → (weight, units it goes to, subject, result)
CATEGORIES: tuple[tuple[str, int, tuple[str, ...], str, str], ...] = (
    ("供热采暖", 18, ("区住建局",), "室内温度不达标", "已协调供热企业调压，室温达标。"),
    ("物业管理", 14, ("STREET",), "小区物业服务不到位", "已约谈物业企业，限期整改。"),
    ("噪音扰民", 10, ("区城管执法局", "STREET"), "夜间施工噪音扰民", "已责令施工方停止夜间施工。"),
    ("环境卫生", 10, ("STREET",), "垃圾清运不及时", "已安排清运并加强巡查。"),
    ("市政设施", 9, ("区城管执法局",), "路灯不亮、井盖破损", "已完成维修。"),
    ("劳动保障", 8, ("区人社局",), "拖欠工资", "已督促用人单位支付工资。"),
    ("市场监管", 8, ("区市场监管局",), "商品质量和价格问题", "已核查处理并反馈来电人。"),
    ("教育管理", 5, ("区教育局",), "入学和校外培训问题", "已答复相关政策并督促整改。"),
    ("医疗卫生", 5, ("区卫健局", "区医保局"), "就医和医保报销问题", "已解释政策并协调办理。"),
    ("社会救助", 4, ("区民政局", "STREET"), "低保和救助申请", "已指导申请并入户核实。"),
    ("占道经营", 5, ("区城管执法局", "STREET"), "占道经营影响通行", "已规范摊点设置。"),
    ("政务服务", 4, ("区政数局",), "办事流程和窗口服务", "已优化办理流程并答复。"),
)
STREETS = ("仁兴街道", "英雄街道", "北沟街道", "地直街道")
CHANNELS = ("hotline", "hotline", "hotline", "web", "mobile")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"


def _moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="minutes")


class _Days:
    """Working days of the year and the next, as a list (a working-day offset is an index)."""

    def __init__(self, year: int) -> None:
        cal = Calendar.default()
        day, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 31)
        self.days: list[dt.date] = []
        self.index: dict[dt.date, int] = {}
        while day <= end:
            if cal.is_working_day(day, provisional=True):
                self.index[day] = len(self.days)
                self.days.append(day)
            day += dt.timedelta(days=1)

    def after(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``day`` itself for 0)."""
        if n == 0:
            return day
        i = self.index.get(day)
        if i is None:  # a rest day: the next working day is the first after it
            while day not in self.index:
                day += dt.timedelta(days=1)
            i = self.index[day] - 1
        return self.days[min(i + n, len(self.days) - 1)]


def build(root: OrgUnit, year: int) -> str:
    """The year's hotline orders (nothing if they exist); a summary line for ``fazhi demo``."""
    if already_built("hotline_order", year):
        return ""
    rng = random.Random(year * 12345)
    days = _Days(year)
    units = {name: unit(root, name) for c in CATEGORIES for name in c[2] if name != "STREET"}
    units.update({name: unit(root, name) for name in STREETS})
    weights = [c[1] for c in CATEGORIES]
    worked = [d for d in days.days if d.year == year]
    cutoff = dt.date(year, 12, 31)
    demo = DemoMatters()
    concluded = 0
    for n in range(ORDERS):
        category, _w, targets, subject, result = rng.choices(CATEGORIES, weights)[0]
        target = rng.choice(targets)
        org = units[rng.choice(STREETS) if target == "STREET" else target]
        received = worked[int(len(worked) * n / ORDERS)]
        urgent = rng.random() < 0.05
        received_at = _moment(received, rng.randint(8, 21), rng.randint(0, 59))
        street = rng.choice(STREETS)
        m = demo.add(
            "hotline_order",
            org=org,
            received_on=received,
            subject=f"{subject}（{street}）",
            channel=rng.choice(CHANNELS),
            party={
                "name": rng.choice(SURNAMES) + rng.choice(("女士", "先生")),
                "phone": f"13{rng.randrange(10**9):09d}",
            },
            details={
                "urgency": "urgent" if urgent else "ordinary",
                "category": category,
                "address": f"铁西区{street}{rng.randint(1, 60)}号",
                "order_number": f"SP{year}{n + 1:07d}",
            },
        )
        m.record["received_at"] = _iso(received_at)
        steps = m.record["steps"]
        roll = rng.random()
        if roll < 0.015:  # the unit asks to return it; the dispatcher approves
            m.step("request_return", received, reason="诉求事项不属于本单位职责")
            m.step(
                "return",
                received,
                reason="诉求事项不属于本单位职责",
                approved_by="区12345热线派单员",
            )
            continue
        if urgent:
            signed_at = received_at + dt.timedelta(minutes=rng.randint(5, 110))
            m.step("sign", signed_at.date())
            steps[-1]["at"] = _iso(signed_at)
            done_at = signed_at + dt.timedelta(hours=rng.randint(2, 22))
            done_on = done_at.date()
        else:
            signed = days.after(received, 0 if rng.random() < 0.6 else (1 if roll < 0.98 else 2))
            if signed > cutoff:
                continue  # dispatched on the year's last day: signed next year
            m.step("sign", signed)
            done_on = days.after(signed, rng.randint(1, 5) if roll < 0.97 else 7)
            done_at = None
        if done_on > cutoff:
            continue  # still being handled at the end of the year
        resolved = "yes" if rng.random() < 0.93 else rng.choice(("partly", "no"))
        m.step("conclude", done_on, result=result, resolved=resolved)
        if done_at is not None:
            steps[-1]["at"] = _iso(done_at)
        concluded += 1
        revisit_on = days.after(done_on, 1)
        if revisit_on > cutoff or rng.random() < 0.15:
            continue
        satisfied = resolved == "yes" or rng.random() < 0.3
        m.step(
            "revisit",
            revisit_on,
            resolved=resolved,
            satisfaction=rng.choice(("satisfied",) * 4 + ("basically_satisfied",))
            if satisfied
            else "dissatisfied",
        )
        if not satisfied and rng.random() < 0.5:  # reopened and handled again
            again = days.after(revisit_on, 3)
            if again > cutoff:
                continue
            m.step("reopen", revisit_on, reason="来电人不满意，重新办理")
            m.step("conclude", again, result="重新办理，" + result, resolved="yes")
    demo.save("接诉即办")
    return f"12345热线工单{ORDERS}件、年内办结{concluded}件"
