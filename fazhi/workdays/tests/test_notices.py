"""Parsing notice files: all-or-nothing validation with line numbers (pure)."""

from datetime import date
from pathlib import Path

import pytest

from fazhi.workdays import DayKind, NoticeFileError
from fazhi.workdays.notices import parse_csv, parse_json, parse_notice_file

DATA = Path(__file__).with_name("data")


def test_csv_notice():
    notice = parse_notice_file(DATA / "notice_2027_TEST_ONLY.csv")
    assert notice.year == 2027
    assert notice.number == "测试〔2026〕1号"
    assert notice.published_on == date(2026, 11, 1)
    assert len(notice.entries) == 15
    assert notice.entries[0].kind is DayKind.HOLIDAY
    assert notice.entries[0].source == notice.source


def test_json_notice():
    notice = parse_notice_file(DATA / "notice_2027_TEST_ONLY.json")
    assert notice.year == 2027
    assert [e.day for e in notice.entries][-1] == date(2027, 10, 9)


def test_every_bad_row_is_reported_with_its_line():
    with pytest.raises(NoticeFileError) as info:
        parse_notice_file(DATA / "notice_bad_TEST_ONLY.csv")
    lines = dict(info.value.errors)
    assert set(lines) == {6, 7, 8, 9, 10}
    assert "日期格式错误" in lines[6]
    assert "未知的类型" in lines[7]
    assert "不是星期六或星期日" in lines[8]
    assert "重复" in lines[9]
    assert "不属于2027年" in lines[10]
    assert "第6行" in str(info.value)


def test_missing_header_and_columns():
    with pytest.raises(NoticeFileError, match="缺少年份"):
        parse_csv("# notice: x\ndate,kind,name\n2027-01-01,holiday,元旦\n")
    with pytest.raises(NoticeFileError, match="表头缺少列"):
        parse_csv("# year: 2027\n# notice: x\nday,kind\n2027-01-01,holiday\n")


def test_missing_file():
    with pytest.raises(NoticeFileError, match="找不到文件"):
        parse_notice_file(DATA / "nope.csv")


def test_bad_json():
    with pytest.raises(NoticeFileError, match="JSON"):
        parse_json("{not json")
