"""The receipt and the tracking page write dates as 2026年12月3日 (core.dates, issue #21)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fazhi.core import clock
from fazhi.core.dates import public_date
from fazhi.portal.tests.test_submit import help_data, receipt


@pytest.mark.django_db
def test_the_receipt_and_the_tracking_page_write_the_date_in_chinese(client, intake):
    response = client.post(reverse("portal:submit-help-request"), help_data())
    reference, code, page = receipt(client, response)
    today = public_date(clock.today())
    assert f"已于{today}登记" in page
    client.post(reverse("portal:track"), {"reference": reference, "code": code})
    tracked = client.get(reverse("portal:tracked")).content.decode()
    visible = re.sub(r"<[^>]+>", " ", tracked.split("<main", 1)[1])
    assert today in visible
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", visible), visible
