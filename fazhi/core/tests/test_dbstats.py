import pytest
from django.db import connection

from fazhi.core.dbstats import refresh_statistics


@pytest.mark.django_db
def test_refresh_statistics_gives_the_planner_statistics(district, users):
    import datetime as dt

    from fazhi.procedures.tests.factories import make_matter

    for day in range(1, 4):
        make_matter("help_request", district["a"], users["staff_a"], dt.date(2025, 3, day))
    refresh_statistics()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'procedures_matter'")
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'procedures_matter'")
        assert cursor.fetchone()[0] > 0
