"""An existing Open311 client from PyPI (georeport) against the live server, JSON and XML."""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

from fazhi.api.models import ApiClient
from fazhi.procedures.models import Matter
from fazhi.procedures.publicity import release_matter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_key(district):
    client = ApiClient(name="省级平台")
    raw = client.set_new_key()
    client.save()
    return raw


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client_lists_services_and_reads_back_requests(live_server, api_key, users, fmt):
    root = live_server.url + "/open311/v2/"
    client = GeoReport(root, api_key=api_key, output_format=fmt)

    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    assert {"help_request", "business_complaint", "mailbox_letter"} <= codes
    definition = client.get_service_definition("help_request")
    attributes = definition["attributes"]
    attribute = attributes[0] if fmt == "json" else attributes["attribute"][0]
    assert attribute["code"] == "kind"

    # The client reads only; submitting uses the spec's form-encoded POST.
    response = requests.post(
        f"{client.root_address}/requests.{fmt}",
        data={
            "api_key": api_key,
            "service_code": "help_request",
            "description": "不动产登记窗口材料要求不一致，请协调",
            "attribute[kind]": "complaint",
            "attribute[consent_publish]": "true",
            "address_string": "吉林省四平市铁西区北沟街道",
            "first_name": "芳",
            "last_name": "李",
            "phone": "0434-3271234",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    if fmt == "json":
        reference = response.json()[0]["service_request_id"]
    else:
        import xmltodict

        reference = xmltodict.parse(response.content)["service_requests"]["request"][
            "service_request_id"
        ]

    # public only once staff released it (#19 defect 1)
    assert (
        requests.get(f"{client.root_address}/requests/{reference}.{fmt}", timeout=10).status_code
        == 404
    )
    release_matter(Matter.objects.get(reference=reference), users["admin"])
    listed = client.get_service_requests(service_code="help_request", status="open")
    items = listed if isinstance(listed, list) else [listed]
    assert reference in {r["service_request_id"] for r in items}
    one = client.get_service_request(reference)
    assert one["service_request_id"] == reference
    assert one["status"] == "open"
    assert one["service_name"] == "办不成事请找我"
    assert "李芳" not in str(one)
    assert one["address"] == "吉林省四平市铁西区****"
