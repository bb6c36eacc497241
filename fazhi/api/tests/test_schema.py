"""The OpenAPI schema: valid, served with local docs assets, and fuzzed by schemathesis."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fazhi.api.tests.fuzz import fuzz_api
from fazhi.core.tests.factories import OrgUnitFactory, staff_user

pytestmark = pytest.mark.django_db


def test_schema_is_valid_and_covers_the_api():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_documents_custom_actions(client, users):
    client.force_login(users["staff_a"])
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/matters/{id}/actions/"]
    post = paths["/api/v1/matters/{id}/actions/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in post["parameters"]}
    upload = paths["/api/v1/matters/{id}/attachments/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    assert "/api/v1/indicators/" in paths
    assert "/api/v1/me/" in paths
    assert not [p for p in paths if p.startswith("/open311/")]


@pytest.mark.parametrize("page", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_docs_pages_use_local_assets_only(client, users, page):
    client.force_login(users["staff_a"])
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    external = re.findall(r"""(?:src|href)=["'](https?:)?//[^"']+""", html)
    assert external == []
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.parametrize("with_token", [True, False], ids=["token", "anonymous"])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    users, matter_a, matter_b, with_token
):
    """Every operation, positive and negative data, with a staff token and without one: no 5xx,
    and every answer (errors included) is documented: status code, content type, body."""
    token = Token.objects.create(user=users["staff_a"]).key if with_token else None
    result = fuzz_api(token, real_ids={"id": matter_a.pk, "code": "help_request"}, max_examples=12)
    assert result.operations >= 15
    assert result.cases >= 150
    assert result.failures == [], "\n".join(result.failures[:10])
    if not with_token:
        # nothing but 401 without a token; 404 only for paths no route matches (id "abc")
        assert 401 in result.statuses and set(result.statuses) <= {401, 404}
    else:
        assert {200, 400, 404} <= set(result.statuses)
    # no wall-clock bound here: it failed under load; timing is bench/bench_schemathesis.py's


def _schema(client):
    reader = get_user_model().objects.filter(username="schema_reader").first() or staff_user(
        OrgUnitFactory(name="读取接口说明的单位"), username="schema_reader"
    )
    client.force_login(reader)  # the schema is for staff and their tokens (defect 12)
    return client.get("/api/v1/schema/", {"format": "json"}).json()


def test_every_operation_documents_its_refusals_with_the_error_body(client):
    """Issue 19, defect 15: 401 and 404 were undocumented, and errors had no body schema."""
    schema = _schema(client)
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "field", "code"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "403", "503"} | ({"404"} if "{" in path else set())
            assert expected <= set(responses), (method, path, sorted(responses))
            for code, response in responses.items():
                if code[0] in "45":
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)


@pytest.mark.parametrize(
    ("path", "paginated"),
    [
        ("/api/v1/matters/", True),
        ("/api/v1/activities/", True),
        ("/api/v1/procedures/", False),
        ("/api/v1/matters/{id}/actions/", False),
        ("/api/v1/matters/{id}/attachments/", False),
    ],
)
def test_lists_are_paginated_exactly_where_the_schema_says(
    client, users, matter_a, path, paginated
):
    documented = _schema(client)["paths"][path]["get"]["responses"]["200"]["content"]
    shape = documented["application/json"]["schema"]
    api = APIClient()
    api.force_authenticate(users["staff_a"])
    body = api.get(path.replace("{id}", str(matter_a.pk))).json()
    if paginated:
        assert shape["$ref"].startswith("#/components/schemas/Paginated")
        assert set(body) == {"count", "next", "previous", "results"}
    else:
        assert shape["type"] == "array"
        assert isinstance(body, list)


def test_an_unrated_matter_satisfaction_is_in_the_documented_enum(client, users, matter_a):
    prop = _schema(client)["components"]["schemas"]["Matter"]["properties"]["satisfaction"]
    refs = {item["$ref"].rsplit("/", 1)[1] for item in prop["oneOf"]}
    assert refs == {"SatisfactionEnum", "BlankEnum"}
    api = APIClient()
    api.force_authenticate(users["staff_a"])
    assert api.get(f"/api/v1/matters/{matter_a.pk}/").json()["satisfaction"] == ""


@pytest.mark.parametrize("page", ["0", "-1", "9999", "abc"])
def test_a_page_that_does_not_exist_is_a_400_naming_page(users, matter_a, page):
    api = APIClient()
    api.force_authenticate(users["staff_a"])
    response = api.get("/api/v1/matters/", {"page": page})
    assert response.status_code == 400
    assert response.json()["field"] == "page" and "页码无效" in response.json()["detail"]


# --- who may read the schema (#19 defect 12; docs/api.md "Who may read the schema") ---------


@pytest.mark.parametrize("page", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_schema_and_docs_are_not_public(client, page):
    assert client.get(page).status_code in (401, 403)
    # nor for a signed-in user without a unit and role, refused by the API itself too
    client.force_login(get_user_model().objects.create_user("t_no_role"))
    assert client.get(page).status_code == 403


@pytest.mark.parametrize("page", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_schema_and_docs_with_a_token(client, users, page):
    token = Token.objects.create(user=users["staff_b"]).key
    assert client.get(page, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_swagger_ui_starts_from_a_script_file(client, users):
    """No inline script on the docs page (CSP): Swagger UI's start-up is served as a file."""
    client.force_login(users["staff_a"])
    html = client.get("/api/v1/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    script = re.search(r'<script src="([^"]*\?script[^"]*)"', html)
    assert script, html
    assert "SwaggerUIBundle" in client.get(script.group(1).replace("&amp;", "&")).content.decode()
