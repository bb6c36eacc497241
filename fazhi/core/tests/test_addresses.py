"""One function decides the client's address (core/addresses.py): every reader goes through it."""

import pathlib

import pytest
from django.test import RequestFactory, override_settings

from fazhi.core.addresses import client_address
from fazhi.core.audit import event
from fazhi.core.models import OrgUnit

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the fazhi package


HEADERS = ('"REMOTE_ADDR"', "'REMOTE_ADDR'", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP")


def test_no_module_reads_the_address_headers_but_addresses_py():
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "addresses.py"
        and any(header in path.read_text() for header in HEADERS)
    )
    assert readers == []
    assert "HTTP_X_FORWARDED_FOR" in (ROOT / "core" / "addresses.py").read_text()


@override_settings(FAZHI_TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_take_the_second_entry_from_the_right():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.0.0.1"
    )
    assert client_address(request) == "198.51.100.4"  # the client's own 6.6.6.6 is ignored
    short = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_address(short) == "10.0.0.2"  # fewer entries than proxies: not trusted


@pytest.mark.django_db
@override_settings(FAZHI_TRUSTED_PROXY_COUNT=1)
def test_the_audit_log_records_the_same_address():
    unit = OrgUnit.objects.create(name="测试单位", short_name="测试")
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert event("test.event", unit, request=request).ip == client_address(request) == "203.0.113.9"
