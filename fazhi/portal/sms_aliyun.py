"""An SMS provider's adapter: Alibaba Cloud Short Message Service (阿里云短信服务, ``SendSms``
of API version 2017-05-25), for ``FAZHI_SMS_URL=aliyun://KEY_ID:KEY_SECRET@dysmsapi.aliyuncs.com/
?sign_name=…&template=SMS_…`` (docs/configuration.md).

A mainland SMS provider sends only messages of a template it has approved, under an approved
signature (签名): the deployment registers a template such as

    您提交的${procedure}（查询编号${reference}）${event}。详情请凭查询编号和查询码在${site}“进度查询”查看。

and the notice's parts fill it (``params``): the procedure's name, the tracking number, the
event in a word (已受理, 已答复, 已办结) and the site's name — the same words as the notice's
text, never a name, a content or a code. The request is the provider's documented RPC call:
the parameters sorted, percent-encoded by RFC 3986, signed with HMAC-SHA1 over
``GET&%2F&<encoded query>`` with the key secret and ``&``; the answer's ``Code`` is ``OK`` when
the message was accepted. ``aliyun+http://`` (a test's local endpoint) sends over plain HTTP.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping

from fazhi.core import clock

VERSION = "2017-05-25"
REGION = "cn-hangzhou"
SCHEMES = ("aliyun", "aliyun+http")


def encode(text: str) -> str:
    """RFC 3986 percent-encoding as the provider's signature requires (space %20, * %2A, ~)."""
    return urllib.parse.quote(text, safe="~")


def signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    """Base64 of HMAC-SHA1(secret + "&", METHOD&%2F&encode(sorted, encoded query))."""
    query = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{encode('/')}&{encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def send(url: str, to: str, params: Mapping[str, str], timeout: float) -> None:
    """Send one templated message; raises ``ValueError`` (or ``OSError``) if it was not taken."""
    parts = urllib.parse.urlsplit(url)
    options = dict(urllib.parse.parse_qsl(parts.query))
    key_id = urllib.parse.unquote(parts.username or "")
    secret = urllib.parse.unquote(parts.password or "")
    sign_name, template = options.get("sign_name", ""), options.get("template", "")
    if not (key_id and secret and sign_name and template and parts.hostname):
        raise ValueError(
            "FAZHI_SMS_URL 应为 aliyun://AccessKeyId:AccessKeySecret@dysmsapi.aliyuncs.com/"
            "?sign_name=短信签名&template=模板编号"
        )
    request_params = {
        "AccessKeyId": key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "PhoneNumbers": to,
        "RegionId": options.get("region", REGION),
        "SignName": sign_name,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": str(uuid.uuid4()),
        "SignatureVersion": "1.0",
        "TemplateCode": template,
        "TemplateParam": json.dumps(dict(params), ensure_ascii=False, separators=(",", ":")),
        "Timestamp": clock.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": VERSION,
    }
    query = urllib.parse.urlencode(
        {"Signature": signature(request_params, secret), **request_params},
        quote_via=urllib.parse.quote,
    )
    scheme = "http" if parts.scheme == "aliyun+http" else "https"
    netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
    endpoint = f"{scheme}://{netloc}{parts.path or '/'}?{query}"
    try:
        with urllib.request.urlopen(endpoint, timeout=timeout) as response:  # noqa: S310 # nosec B310 - scheme set above
            body = response.read()
    except urllib.error.HTTPError as exc:  # the provider answers its refusals as JSON too
        body = exc.read()
        exc.close()
    try:
        answer = json.loads(body)
    except ValueError:
        raise ValueError(f"阿里云短信答复无法读取：{body[:100]!r}") from None
    if answer.get("Code") != "OK":
        raise ValueError(
            f"阿里云短信未发送：{answer.get('Code')} {answer.get('Message', '')}"[:250]
        )
