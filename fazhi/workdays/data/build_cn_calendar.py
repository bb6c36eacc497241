"""Build ``cn_calendar.csv`` from the State Council notices as published.

The notices are transcribed below, block by block, as they read ("春节：2月9日至15日放假调休，
共7天。2月5日（星期六）、2月6日（星期日）上班"). From them this script writes one CSV row per
day that differs from an ordinary week or that is a statutory holiday:

- ``holiday``: a statutory holiday (法定节假日) under the 全国年节及纪念日放假办法 in force
  that year (1999, 2007, 2013 and 2024 texts), whatever weekday it falls on;
- ``rest``: any other Monday-to-Friday day off that the notice grants (补休, 调休, extension);
- ``workday``: a Saturday or Sunday that the notice makes a working day (调休上班).

Saturdays and Sundays inside a holiday block that are not statutory holidays are ordinary rest
days and get no row. Run ``python -m fazhi.workdays.data.build_cn_calendar`` to rewrite the CSV;
a test checks that the shipped CSV is exactly what this script produces.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

CSV_PATH = Path(__file__).with_name("cn_calendar.csv")
FIRST_YEAR = 2004
LAST_YEAR = 2026


@dataclass(frozen=True)
class Block:
    """One item of a notice: the days off (inclusive) and the make-up working days."""

    name: str
    first: str
    last: str
    makeup: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """One notice: the year it arranges, its title and document number, its items."""

    year: int
    title: str
    number: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def source(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


def _annual(year: int, number: str, *blocks: Block) -> Notice:
    return Notice(year, f"国务院办公厅关于{year}年部分节假日安排的通知", number, blocks)


B = Block

# Dates are "MM-DD" in the notice's year, or a full ISO date when the item reaches into the
# previous year (New Year's Day blocks that start on 30 or 31 December).
NOTICES: tuple[Notice, ...] = (
    _annual(
        2004,
        "",
        B("元旦", "01-01", "01-01"),
        B("春节", "01-22", "01-28", ("01-17", "01-18")),
        B("劳动节", "05-01", "05-07", ("05-08", "05-09")),
        B("国庆节", "10-01", "10-07", ("10-09", "10-10")),
    ),
    _annual(
        2005,
        "",
        B("元旦", "01-01", "01-03"),
        B("春节", "02-09", "02-15", ("02-05", "02-06")),
        B("劳动节", "05-01", "05-07", ("04-30", "05-08")),
        B("国庆节", "10-01", "10-07", ("10-08", "10-09")),
    ),
    _annual(
        2006,
        "国办发明电〔2005〕35号",
        B("元旦", "01-01", "01-03", ("2005-12-31",)),
        B("春节", "01-29", "02-04", ("01-28", "02-05")),
        B("劳动节", "05-01", "05-07", ("04-29", "04-30")),
        B("国庆节", "10-01", "10-07", ("09-30", "10-08")),
    ),
    _annual(
        2007,
        "国办发明电〔2006〕49号",
        B("元旦", "01-01", "01-03", ("2006-12-30", "2006-12-31")),
        B("春节", "02-18", "02-24", ("02-17", "02-25")),
        B("劳动节", "05-01", "05-07", ("04-28", "04-29")),
        B("国庆节", "10-01", "10-07", ("09-29", "09-30")),
    ),
    _annual(
        2008,
        "",
        B("元旦", "2007-12-30", "01-01", ("2007-12-29",)),
        B("春节", "02-06", "02-12", ("02-02", "02-03")),
        B("清明节", "04-04", "04-06"),
        B("劳动节", "05-01", "05-03", ("05-04",)),
        B("端午节", "06-07", "06-09"),
        B("中秋节", "09-13", "09-15"),
        B("国庆节", "09-29", "10-05", ("09-27", "09-28")),
    ),
    _annual(
        2009,
        "",
        B("元旦", "01-01", "01-03", ("01-04",)),
        B("春节", "01-25", "01-31", ("01-24", "02-01")),
        B("清明节", "04-04", "04-06"),
        B("劳动节", "05-01", "05-03"),
        B("端午节", "05-28", "05-30", ("05-31",)),
        B("国庆节、中秋节", "10-01", "10-08", ("09-27", "10-10")),
    ),
    _annual(
        2010,
        "国办发明电〔2009〕27号",
        B("元旦", "01-01", "01-03"),
        B("春节", "02-13", "02-19", ("02-20", "02-21")),
        B("清明节", "04-03", "04-05"),
        B("劳动节", "05-01", "05-03"),
        B("端午节", "06-14", "06-16", ("06-12", "06-13")),
        B("中秋节", "09-22", "09-24", ("09-19", "09-25")),
        B("国庆节", "10-01", "10-07", ("09-26", "10-09")),
    ),
    _annual(
        2011,
        "",
        B("元旦", "01-01", "01-03"),
        B("春节", "02-02", "02-08", ("01-30", "02-12")),
        B("清明节", "04-03", "04-05", ("04-02",)),
        B("劳动节", "04-30", "05-02"),
        B("端午节", "06-04", "06-06"),
        B("中秋节", "09-10", "09-12"),
        B("国庆节", "10-01", "10-07", ("10-08", "10-09")),
    ),
    _annual(
        2012,
        "国办发明电〔2011〕45号",
        B("元旦", "01-01", "01-03", ("2011-12-31",)),
        B("春节", "01-22", "01-28", ("01-21", "01-29")),
        B("清明节", "04-02", "04-04", ("03-31", "04-01")),
        B("劳动节", "04-29", "05-01", ("04-28",)),
        B("端午节", "06-22", "06-24"),
        B("中秋节、国庆节", "09-30", "10-07", ("09-29",)),
    ),
    _annual(
        2013,
        "",
        B("元旦", "01-01", "01-03", ("01-05", "01-06")),
        B("春节", "02-09", "02-15", ("02-16", "02-17")),
        B("清明节", "04-04", "04-06", ("04-07",)),
        B("劳动节", "04-29", "05-01", ("04-27", "04-28")),
        B("端午节", "06-10", "06-12", ("06-08", "06-09")),
        B("中秋节", "09-19", "09-21", ("09-22",)),
        B("国庆节", "10-01", "10-07", ("09-29", "10-12")),
    ),
    _annual(
        2014,
        "",
        B("元旦", "01-01", "01-01"),
        B("春节", "01-31", "02-06", ("01-26", "02-08")),
        B("清明节", "04-05", "04-07"),
        B("劳动节", "05-01", "05-03", ("05-04",)),
        B("端午节", "05-31", "06-02"),
        B("中秋节", "09-06", "09-08"),
        B("国庆节", "10-01", "10-07", ("09-28", "10-11")),
    ),
    _annual(
        2015,
        "",
        B("元旦", "01-01", "01-03", ("01-04",)),
        B("春节", "02-18", "02-24", ("02-15", "02-28")),
        B("清明节", "04-04", "04-06"),
        B("劳动节", "05-01", "05-03"),
        B("端午节", "06-20", "06-22"),
        B("中秋节", "09-27", "09-27"),
        B("国庆节", "10-01", "10-07", ("10-10",)),
    ),
    Notice(
        2015,
        "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知",
        "",
        (
            B(
                "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
                "09-03",
                "09-05",
                ("09-06",),
            ),
        ),
    ),
    _annual(
        2016,
        "",
        B("元旦", "01-01", "01-03"),
        B("春节", "02-07", "02-13", ("02-06", "02-14")),
        B("清明节", "04-02", "04-04"),
        B("劳动节", "04-30", "05-02"),
        B("端午节", "06-09", "06-11", ("06-12",)),
        B("中秋节", "09-15", "09-17", ("09-18",)),
        B("国庆节", "10-01", "10-07", ("10-08", "10-09")),
    ),
    _annual(
        2017,
        "",
        B("元旦", "2016-12-31", "01-02"),
        B("春节", "01-27", "02-02", ("01-22", "02-04")),
        B("清明节", "04-02", "04-04", ("04-01",)),
        B("劳动节", "04-29", "05-01"),
        B("端午节", "05-28", "05-30", ("05-27",)),
        B("中秋节、国庆节", "10-01", "10-08", ("09-30",)),
    ),
    _annual(
        2018,
        "",
        B("元旦", "2017-12-30", "01-01"),
        B("春节", "02-15", "02-21", ("02-11", "02-24")),
        B("清明节", "04-05", "04-07", ("04-08",)),
        B("劳动节", "04-29", "05-01", ("04-28",)),
        B("端午节", "06-16", "06-18"),
        B("中秋节", "09-22", "09-24"),
        B("国庆节", "10-01", "10-07", ("09-29", "09-30")),
    ),
    _annual(
        2019,
        "",
        B("元旦", "2018-12-30", "01-01", ("2018-12-29",)),
        B("春节", "02-04", "02-10", ("02-02", "02-03")),
        B("清明节", "04-05", "04-07"),
        B("端午节", "06-07", "06-09"),
        B("中秋节", "09-13", "09-15"),
        B("国庆节", "10-01", "10-07", ("09-29", "10-12")),
    ),
    # The 2019 notice gave 1 May alone; this later notice replaced that item.
    Notice(
        2019,
        "国务院办公厅关于调整2019年劳动节假期安排的通知",
        "",
        (B("劳动节", "05-01", "05-04", ("04-28", "05-05")),),
    ),
    # The 2020 notice's Spring Festival item (24-30 January, 1 February at work) as extended by
    # the notice below: the make-up Saturday 1 February fell inside the extension and lapsed.
    _annual(
        2020,
        "",
        B("元旦", "01-01", "01-01"),
        B("春节", "01-24", "01-30", ("01-19",)),
        B("清明节", "04-04", "04-06"),
        B("劳动节", "05-01", "05-05", ("04-26", "05-09")),
        B("端午节", "06-25", "06-27", ("06-28",)),
        B("国庆节、中秋节", "10-01", "10-08", ("09-27", "10-10")),
    ),
    Notice(
        2020,
        "国务院办公厅关于延长2020年春节假期的通知",
        "国办发明电〔2020〕1号",
        (B("春节延长假期", "01-31", "02-02"),),
    ),
    _annual(
        2021,
        "",
        B("元旦", "01-01", "01-03"),
        B("春节", "02-11", "02-17", ("02-07", "02-20")),
        B("清明节", "04-03", "04-05"),
        B("劳动节", "05-01", "05-05", ("04-25", "05-08")),
        B("端午节", "06-12", "06-14"),
        B("中秋节", "09-19", "09-21", ("09-18",)),
        B("国庆节", "10-01", "10-07", ("09-26", "10-09")),
    ),
    _annual(
        2022,
        "",
        B("元旦", "01-01", "01-03"),
        B("春节", "01-31", "02-06", ("01-29", "01-30")),
        B("清明节", "04-03", "04-05", ("04-02",)),
        B("劳动节", "04-30", "05-04", ("04-24", "05-07")),
        B("端午节", "06-03", "06-05"),
        B("中秋节", "09-10", "09-12"),
        B("国庆节", "10-01", "10-07", ("10-08", "10-09")),
    ),
    _annual(
        2023,
        "",
        B("元旦", "2022-12-31", "01-02"),
        B("春节", "01-21", "01-27", ("01-28", "01-29")),
        B("清明节", "04-05", "04-05"),
        B("劳动节", "04-29", "05-03", ("04-23", "05-06")),
        B("端午节", "06-22", "06-24", ("06-25",)),
        B("中秋节、国庆节", "09-29", "10-06", ("10-07", "10-08")),
    ),
    _annual(
        2024,
        "",
        B("元旦", "01-01", "01-01"),
        B("春节", "02-10", "02-17", ("02-04", "02-18")),
        B("清明节", "04-04", "04-06", ("04-07",)),
        B("劳动节", "05-01", "05-05", ("04-28", "05-11")),
        B("端午节", "06-08", "06-10"),
        B("中秋节", "09-15", "09-17", ("09-14",)),
        B("国庆节", "10-01", "10-07", ("09-29", "10-12")),
    ),
    _annual(
        2025,
        "",
        B("元旦", "01-01", "01-01"),
        B("春节", "01-28", "02-04", ("01-26", "02-08")),
        B("清明节", "04-04", "04-06"),
        B("劳动节", "05-01", "05-05", ("04-27",)),
        B("端午节", "05-31", "06-02"),
        B("国庆节、中秋节", "10-01", "10-08", ("09-28", "10-11")),
    ),
    _annual(
        2026,
        "",
        B("元旦", "01-01", "01-03", ("01-04",)),
        B("春节", "02-15", "02-23", ("02-14", "02-28")),
        B("清明节", "04-04", "04-06"),
        B("劳动节", "05-01", "05-05", ("05-09",)),
        B("端午节", "06-19", "06-21"),
        B("中秋节", "09-25", "09-27"),
        B("国庆节", "10-01", "10-07", ("09-20", "10-10")),
    ),
)

# Dates of the lunisolar festivals and of Qingming, 2004-2026 (Chinese New Year, Qingming,
# Dragon Boat, Mid-Autumn), used only to tell which days in a block are statutory holidays.
# A test checks them against the ``holidays`` package's lunisolar calendar.
FESTIVALS: dict[int, tuple[str, str, str, str]] = {
    2004: ("01-22", "04-04", "06-22", "09-28"),
    2005: ("02-09", "04-05", "06-11", "09-18"),
    2006: ("01-29", "04-05", "05-31", "10-06"),
    2007: ("02-18", "04-05", "06-19", "09-25"),
    2008: ("02-07", "04-04", "06-08", "09-14"),
    2009: ("01-26", "04-04", "05-28", "10-03"),
    2010: ("02-14", "04-05", "06-16", "09-22"),
    2011: ("02-03", "04-05", "06-06", "09-12"),
    2012: ("01-23", "04-04", "06-23", "09-30"),
    2013: ("02-10", "04-04", "06-12", "09-19"),
    2014: ("01-31", "04-05", "06-02", "09-08"),
    2015: ("02-19", "04-05", "06-20", "09-27"),
    2016: ("02-08", "04-04", "06-09", "09-15"),
    2017: ("01-28", "04-04", "05-30", "10-04"),
    2018: ("02-16", "04-05", "06-18", "09-24"),
    2019: ("02-05", "04-05", "06-07", "09-13"),
    2020: ("01-25", "04-04", "06-25", "10-01"),
    2021: ("02-12", "04-04", "06-14", "09-21"),
    2022: ("02-01", "04-05", "06-03", "09-10"),
    2023: ("01-22", "04-05", "06-22", "09-29"),
    2024: ("02-10", "04-04", "06-10", "09-17"),
    2025: ("01-29", "04-04", "05-31", "10-06"),
    2026: ("02-17", "04-05", "06-19", "09-25"),
}


def _day(year: int, text: str) -> date:
    if len(text) == len("YYYY-MM-DD"):
        return date.fromisoformat(text)
    return date.fromisoformat(f"{year}-{text}")


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of ``year`` under the 放假办法 text in force that year."""
    cny, qingming, dragon, autumn = (_day(year, t) for t in FESTIVALS[year])
    one = timedelta(days=1)
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    if year <= 2007 or 2014 <= year <= 2024:  # 1999 and 2013 texts: 正月初一至初三
        spring = [cny, cny + one, cny + 2 * one]
    elif year <= 2013:  # 2007 text: 除夕、正月初一、初二
        spring = [cny - one, cny, cny + one]
    else:  # 2024 text: 除夕、正月初一至初三
        spring = [cny - one, cny, cny + one, cny + 2 * one]
    days.update(dict.fromkeys(spring, "春节"))
    labour = [date(year, 5, 1), date(year, 5, 2), date(year, 5, 3)]
    if 2008 <= year <= 2024:
        labour = labour[:1]
    elif year >= 2025:
        labour = labour[:2]
    days.update(dict.fromkeys(labour, "劳动节"))
    if year >= 2008:
        days[qingming] = "清明节"
        days[dragon] = "端午节"
        days[autumn] = "中秋节"
    for d in (date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)):
        days[d] = "国庆节"
    if year == 2015:
        days[date(2015, 9, 3)] = "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    return days


def build_rows() -> list[tuple[date, str, str, str]]:
    """Rows (day, kind, name, source), sorted by day; checks the notices for consistency."""
    rows: dict[date, tuple[date, str, str, str]] = {}
    statutory: dict[date, str] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        statutory.update(statutory_holidays(year))
    for notice in NOTICES:
        for block in notice.blocks:
            first, last = _day(notice.year, block.first), _day(notice.year, block.last)
            day = first
            while day <= last:
                if day in statutory:
                    rows[day] = (day, "holiday", statutory[day], notice.source)
                elif day.weekday() < 5:
                    rows[day] = (day, "rest", block.name, notice.source)
                elif rows.get(day, (day, ""))[1] == "workday":
                    # a later notice turned a make-up Saturday back into a rest day
                    del rows[day]
                day += timedelta(days=1)
            for text in block.makeup:
                makeup = _day(notice.year, text)
                if makeup.weekday() < 5:
                    msg = f"{makeup} is a weekday, cannot be a make-up working day"
                    raise ValueError(msg)
                rows[makeup] = (makeup, "workday", block.name, notice.source)
    missing = sorted(set(statutory) - set(rows))
    if missing:
        msg = f"statutory holidays outside every notice block: {missing}"
        raise ValueError(msg)
    return [rows[d] for d in sorted(rows)]


def render_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "kind", "name", "source"])
    for day, kind, name, source in build_rows():
        writer.writerow([day.isoformat(), kind, name, source])
    return out.getvalue()


def main() -> None:
    CSV_PATH.write_text(render_csv(), encoding="utf-8")


if __name__ == "__main__":
    main()
