"""Database overrides: Calendar.default(), the import command, the signal, the admin."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fazhi.workdays import Calendar, CalendarNotPublished, due_date
from fazhi.workdays.loading import clear_cache
from fazhi.workdays.models import CalendarDay, CalendarYear
from fazhi.workdays.signals import calendar_changed

DATA = Path(__file__).with_name("data")
NOTICE = DATA / "notice_2027_TEST_ONLY.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def signals():
    received = []

    def receiver(sender, years, **kwargs):
        received.append(years)

    calendar_changed.connect(receiver)
    yield received
    calendar_changed.disconnect(receiver)


def run(*args):
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_default_without_overrides_is_the_shipped_calendar():
    cal = Calendar.default()
    assert cal.covered_years == Calendar.shipped().covered_years
    assert cal.add_working_days(date(2025, 3, 8), 5) == date(2025, 3, 14)


def test_local_rest_day_overrides_the_shipped_file(django_assert_max_num_queries):
    before = Calendar.default()
    assert before.is_working_day(date(2025, 4, 21))
    CalendarDay.objects.create(
        on=date(2025, 4, 21), kind="local_rest_day", name="民族节日", source="区政府决定"
    )
    after = Calendar.default()
    assert after is not before
    assert not after.is_working_day(date(2025, 4, 21))
    with django_assert_max_num_queries(1):  # unchanged: one tiny version query, no rebuild
        assert Calendar.default() is after


def test_import_makes_2027_covered_and_sends_the_signal_once(
    django_capture_on_commit_callbacks, signals
):
    with pytest.raises(CalendarNotPublished):
        due_date(date(2026, 12, 20), 10, "working")
    with django_capture_on_commit_callbacks(execute=True):
        out = run("import", str(NOTICE))
    assert "已导入2027年" in out
    assert signals == [{2027}]
    assert CalendarYear.objects.get(year=2027).number == "测试〔2026〕1号"
    cal = Calendar.default()
    assert cal.covers(date(2027, 6, 1))
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.is_working_day(date(2027, 2, 20))  # make-up Saturday of the test notice
    due = due_date(date(2026, 12, 20), 10, "working")
    assert not due.provisional
    assert due.on == date(2027, 1, 4)  # 1 January 2027 is a holiday in the test notice


def test_reimport_is_idempotent(django_capture_on_commit_callbacks, signals):
    with django_capture_on_commit_callbacks(execute=True):
        run("import", str(NOTICE))
    stamp = list(CalendarDay.objects.values_list("on", "updated_at"))
    with django_capture_on_commit_callbacks(execute=True):
        out = run("import", str(NOTICE))
    assert "无变化" in out
    assert list(CalendarDay.objects.values_list("on", "updated_at")) == stamp
    assert signals == [{2027}]  # the unchanged re-import announces nothing


def test_corrected_notice_replaces_the_year(django_capture_on_commit_callbacks, signals):
    with django_capture_on_commit_callbacks(execute=True):
        run("import", str(NOTICE))
        run("import", str(DATA / "notice_2027_TEST_ONLY.json"))
    assert CalendarDay.objects.filter(on__year=2027).count() == 3
    assert signals == [{2027}, {2027}]


def test_bad_file_imports_nothing_and_lists_lines():
    with pytest.raises(CommandError, match="第6行：日期格式错误"):
        run("import", str(DATA / "notice_bad_TEST_ONLY.csv"))
    assert not CalendarDay.objects.exists()
    assert not CalendarYear.objects.exists()


def test_show_marks_rest_and_make_up_days():
    out = run("show", "2026-10")
    assert "2026年10月" in out
    assert " 1休" in out
    assert "10班" in out
    assert "国庆节" in out


def test_show_an_unpublished_month_says_so():
    assert "尚未导入" in run("show", "2027-10")


def test_due_prints_date_rule_and_provisional():
    out = run("due", "2025-09-28", "--working", "5")
    assert "到期日：2025-10-11" in out
    assert "5个工作日" in out
    assert "暂估：否" in out
    out = run("due", "2026-12-20", "--days", "30")
    assert "暂估：是" in out


def test_due_with_pause_and_limit():
    out = run(
        "due",
        "2025-09-01",
        "--limit",
        "reconsideration.decide",
        "--paused",
        "2025-09-25:2025-10-08",
    )
    assert "到期日：2025-11-14" in out
    assert "行政复议法 第六十二条" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("due", "2025-02-30", "--days", "3"), "日期格式错误"),
        (("due", "2025-02-03", "--days", "-3"), "不能为负数"),
        (("due", "2025-02-03", "--working", "x"), "应为整数"),
        (("due", "2025-02-03", "--days", "99999"), "过长"),
        (("due", "2025-02-03", "--limit", "nope"), "未登记的期限规则"),
        (("due", "2025-02-03", "--days", "3", "--paused", "2025-02-04"), "中止期间格式错误"),
        (("due", "2026-12-20", "--days", "30", "--strict"), "2027年的国务院节假日安排尚未导入"),
        (("show", "2026-13"), "月份格式错误"),
        (("import", "/nonexistent/notice.csv"), "找不到文件"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_admin_change_sends_the_signal(admin_client, django_capture_on_commit_callbacks, signals):
    url = reverse("admin:workdays_calendarday_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "on": "2025-04-21",
                "kind": "local_rest_day",
                "name": "民族节日",
                "source": "区政府决定",
            },
        )
    assert response.status_code == 302
    assert signals == [{2025}]
    assert not Calendar.default().is_working_day(date(2025, 4, 21))


def test_admin_pages_render(admin_client):
    for name in (
        "workdays_calendarday_changelist",
        "workdays_calendaryear_changelist",
        "workdays_calendarday_add",
    ):
        assert admin_client.get(reverse(f"admin:{name}")).status_code == 200
