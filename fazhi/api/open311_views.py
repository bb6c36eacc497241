"""Open311 GeoReport v2 over HTTP (/open311/v2/): JSON or XML by the path's extension.

XML element names are the spec's: ``<services><service>``, ``<service_definition>``,
``<service_requests><request>``, and errors ``<errors><error><code/><description/></error>``
(JSON: ``[{"code": 400, "description": "…"}]``). Reads are public; submissions need an
``api_key`` (ApiClient), are rate-limited per client address and honour ``Idempotency-Key``.
"""

from __future__ import annotations

import json
from typing import Any

# only writes XML (ElementTree.tostring); nothing here parses XML
from xml.etree import ElementTree as ET  # nosec B405

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.api import idempotency, open311
from fazhi.api.models import ApiClient
from fazhi.core import ratelimit
from fazhi.procedures.publicity import load_people

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
RATE_SCOPE = "open311"  # FAZHI_PUBLIC_RATE_PER_MINUTE per client address, apart from the portal's
SUBMISSION_BODY_LIMIT = 256 * 1024  # 10,000 Chinese characters percent-encoded are ~90 KB

# A list element's children are named by the singular (GeoReport v2 XML).
_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
}


def _xml_value(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _xml_value(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        item_name = _ITEMS.get(element.tag, "item")
        for child in value:
            _xml_value(ET.SubElement(element, item_name), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(fmt: str, root: str, payload: Any, status: int = 200) -> HttpResponse:
    """``payload`` as JSON, or as XML under ``root`` (a list's items named per the spec)."""
    if fmt == "xml":
        element = ET.Element(root)
        _xml_value(element, payload)
        body = ET.tostring(element, encoding="unicode")
        return HttpResponse(
            f'<?xml version="1.0" encoding="utf-8"?>\n{body}', status=status, content_type=XML_TYPE
        )
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False), status=status, content_type=JSON_TYPE
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": description}], status)


def _query(request: HttpRequest) -> dict[str, str]:
    return {k: str(v) for k, v in request.GET.items() if "\x00" not in str(v)}


@require_GET
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "services", [open311.service_json(p) for p in open311.services()])


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    procedure = open311.get_service(code)
    if procedure is None:
        return error(fmt, 404, f"没有服务“{code[:40]}”。")
    return render(fmt, "service_definition", open311.definition_json(procedure))


@csrf_exempt  # called by other systems with an api_key, never with a browser session
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    try:
        matters = open311.search_requests(_query(request))
    except open311.Open311Error as exc:
        return error(fmt, exc.status, exc.description)
    load_people(matters)  # the people each records, for the masking: one go for all
    return render(fmt, "service_requests", [open311.request_json(m) for m in matters])


@require_GET
def request_detail(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    matter = open311.get_request(reference)
    if matter is None:
        return error(fmt, 404, f"没有编号为“{reference[:64]}”的公开诉求。")
    return render(fmt, "service_requests", [open311.request_json(matter)])


@require_GET
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    matter = open311.resolve_token(token)
    if matter is None:
        return error(fmt, 404, "令牌无效或对应的诉求不公开。")
    return render(
        fmt, "service_requests", [{"service_request_id": matter.reference, "token": token}]
    )


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    # The portal's atomic counter (one cache row locked per increment): a read-then-write
    # history such as DRF's throttle let 37 of 30 through under concurrency (#19 defect 11).
    if not ratelimit.hit(RATE_SCOPE, ratelimit.client_address(request)):
        wait = ratelimit.seconds_to_next_window()
        response = error(fmt, 429, f"提交过于频繁，请在 {wait} 秒后再试。")
        response["Retry-After"] = str(wait)
        return response
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = SUBMISSION_BODY_LIMIT + 1
    if length > SUBMISSION_BODY_LIMIT:
        return error(fmt, 413, f"提交内容过大：上限为 {SUBMISSION_BODY_LIMIT // 1024} KB。")
    params = request.POST
    client = ApiClient.for_key(params.get("api_key"))
    if client is None:
        return error(fmt, 403, "api_key 无效或已停用。请向平台管理员申请接入密钥。")

    def handler() -> HttpResponse:
        try:
            created = open311.submit(client, params)
        except open311.Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        return render(
            fmt,
            "service_requests",
            [{"service_request_id": created.matter.reference, "token": created.token}],
        )

    try:
        key = idempotency.key_from(request.headers)
        return idempotency.run(
            key=key,
            owner=f"client:{client.pk}",
            method="POST",
            path=request.path,
            request_hash=idempotency.fingerprint(
                "POST", request.path, [(k, params.getlist(k)) for k in params if k != "api_key"]
            ),
            handler=handler,
            encode=lambda r: idempotency.Answer(
                r.status_code, r.content.decode("utf-8"), r["Content-Type"]
            ),
            replay=_replay,
        )
    except idempotency.IdempotencyProblem as problem:
        return error(fmt, problem.status, problem.message)


def _replay(answer: idempotency.Answer) -> HttpResponse:
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    response["Idempotent-Replayed"] = "true"
    return response
