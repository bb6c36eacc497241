"""The API's JSON parser: DRF's, with Chinese messages and no server error on deep nesting.

DRF's ``JSONParser`` answers "JSON parse error - …" in English and lets the ``RecursionError``
of a deeply nested body (``[[[[…]]]]``) escape as a 500.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.utils import json as drf_json

MAX_DEPTH = 32  # a matter with its party, details and a step's data is 4 levels deep


def depth_over(value: Any, limit: int) -> bool:
    """True if ``value`` nests lists or objects more than ``limit`` levels (iterative)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            if level > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """Chinese messages; at most ``MAX_DEPTH`` levels, so that no code after it recurses deep."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            constant = drf_json.strict_constant if self.strict else None
            value = json.load(decoded, parse_constant=constant)
        except UnicodeDecodeError:
            raise exceptions.ParseError(f"请求内容不是 {encoding} 编码的文本。") from None
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                f"请求内容不是有效的 JSON：第{exc.lineno}行第{exc.colno}列有误。"
            ) from None
        except ValueError:  # NaN, Infinity (strict JSON)
            raise exceptions.ParseError(
                "请求内容不是有效的 JSON：不接受 NaN 或 Infinity。"
            ) from None
        except RecursionError:
            raise exceptions.ParseError(
                f"请求内容的 JSON 嵌套层数过多（最多{MAX_DEPTH}层）。"
            ) from None
        if depth_over(value, MAX_DEPTH):
            raise exceptions.ParseError(f"请求内容的 JSON 嵌套层数过多（最多{MAX_DEPTH}层）。")
        return value
