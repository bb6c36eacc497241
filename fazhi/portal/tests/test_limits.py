"""The browser's limit and the server's agree (#21): a line break, sent by the browser as
CRLF, counts as one character, as the page's counter counts it (fazhi.js)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.portal.tests.test_submit import letter_data, receipt
from fazhi.procedures.declarations import Field, FieldType
from fazhi.procedures.errors import InvalidData
from fazhi.procedures.models import Matter

pytestmark = pytest.mark.django_db


def test_a_text_at_its_limit_with_line_breaks_is_taken(client, intake):
    content = "字" * 9998 + "\r\n" + "字"  # 10,000 characters as counted on the page
    reference, _code, _page = receipt(
        client, client.post(reverse("portal:submit-mailbox-letter"), letter_data(content=content))
    )
    stored = Matter.objects.get(reference=reference).details["content"]
    assert len(stored) == 10000 and "\r" not in stored


def test_one_more_is_refused_naming_the_limit(client, intake):
    content = "字" * 9999 + "\r\n" + "字"
    page = client.post(
        reverse("portal:submit-mailbox-letter"), letter_data(content=content)
    ).content.decode()
    assert "“来信内容”最多 10000 字，现在是 10001 字" in page
    assert not Matter.objects.exists()


def test_the_engine_counts_a_line_break_as_one():
    f = Field("text", "说明", FieldType.TEXT, max_length=3)
    assert f.clean("a\r\nb") == "a\nb"
    with pytest.raises(InvalidData, match="最多 3 字，实际 4 字"):
        f.clean("ab\r\nc")  # 4 as counted, not 5
