"""The OpenAPI schema says what the API answers when it refuses (issue 19, defect 15).

A drf-spectacular postprocessing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``): every
operation documents 401 (no or wrong token), 403 (not a staff member, or not allowed) and 503
(database unavailable, with Retry-After); every operation on one object documents 404. Each
with the one error body (``Error``: ``detail``, ``field``, optional ``code`` and ``errors``).
"""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}

ALWAYS = {
    "401": "未登录，或令牌无效（Authorization: Token …）。",
    "403": "不是工作人员，或无权执行。",
    "503": "数据库暂时不可用；稍后重试（见 Retry-After 头）。",
}
ONE_OBJECT = {"404": "不存在，或不在您的范围内。"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> Any:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in schemas:
        return result  # ErrorSerializer is referenced by every view's 400; keep its name
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            wanted = dict(ALWAYS)
            if "{" in path:
                wanted.update(ONE_OBJECT)
            for code, description in wanted.items():
                current = responses.get(code)
                if current is None:
                    responses[code] = _error(description)
                elif "content" not in current:
                    current["content"] = _error(description)["content"]
            for code, current in responses.items():
                if code[0] in "45" and "content" not in current:
                    current["content"] = _error(current.get("description", ""))["content"]
    return result
