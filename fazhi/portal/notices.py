"""The submitter kept informed: a short message by SMS or email when their matter is accepted,
answered or concluded, if they asked for it when submitting.

Which steps tell the submitter: an action that declares ``notify`` (``已受理``), a step that
publishes a reply to them (``publicity.REPLY_TEXT``: 答复, 办理结果, 不予受理的理由), and the
step that concludes the matter. Never the steps the submitter took themselves, never a note.
The message names the channel, the tracking number and the outcome in a word; it carries no
text of the matter, no name and no verification code (an SMS is read on a lock screen).

A notice is a row (``Notice``) written in the step's transaction and sent after the commit by
``fazhi worker`` (a django-tasks task), so a step never waits for a gateway and a message is
never sent for a step that was rolled back. Channels (docs/configuration.md):

- SMS: ``FAZHI_SMS_URL``, a gateway taking ``POST {"to": …, "text": …}`` as JSON (any 2xx is
  sent), or ``aliyun://…``, Alibaba Cloud's SMS service with an approved template
  (fazhi/portal/sms_aliyun.py); or ``FAZHI_SMS_OUTBOX``, a directory where each message is appended to ``sms.log``
  (a local installation's outbox, which ``fazhi demo`` sets); neither: kept as 未发送.
- Email: Django's email backend when ``FAZHI_EMAIL_URL`` is set (or a local installation,
  whose mail is written as files under ``var/outbox/mail``); otherwise kept as 未发送.
"""

from __future__ import annotations

import functools
import json
import logging
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django_tasks import task

from fazhi.core import audit, clock
from fazhi.core.context_processors import district_name
from fazhi.portal import sms_aliyun
from fazhi.portal.models import Notice, NoticeChannel, NoticeStatus, Subscription
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter, Step
from fazhi.procedures.publicity import REPLY_TEXT
from fazhi.procedures.search import phone_digits

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
TIMEOUT_SECONDS = 10
MOBILE_LENGTH = 11


class SubscriptionError(ProcedureError):
    """The address cannot receive notices (plain Chinese, naming the form's field)."""


def mobile_of(phone: str) -> str:
    """The 11-digit mainland mobile number in ``phone`` however typed, or ""."""
    digits = phone_digits(phone)
    if digits.startswith("86") and len(digits) == MOBILE_LENGTH + 2:
        digits = digits[2:]
    if len(digits) == MOBILE_LENGTH and digits[0] == "1" and digits[1] in "3456789":
        return digits
    return ""


def subscribe(matter: Matter, *, sms: str = "", email: str = "") -> list[Subscription]:
    """Record that the submitter of ``matter`` wants to be told (in the caller's transaction)."""
    made = []
    if sms:
        mobile = mobile_of(sms)
        if not mobile:
            raise SubscriptionError(
                "短信通知只能发到手机号码，请填写11位手机号码或不选短信通知。", field="notify_sms"
            )
        made.append(_subscribe(matter, NoticeChannel.SMS, mobile))
    if email:
        try:
            validate_email(email)
        except Exception:
            raise SubscriptionError(
                f"电子邮箱“{email[:60]}”格式不对。", field="notify_email"
            ) from None
        made.append(_subscribe(matter, NoticeChannel.EMAIL, email.strip()))
    return made


def _subscribe(matter: Matter, channel: str, address: str) -> Subscription:
    sub, _created = Subscription.objects.update_or_create(
        matter=matter, channel=channel, defaults={"address": address, "active": True}
    )
    audit.record("notice.subscribe", matter, data={"channel": channel})
    return sub


def unsubscribe(matter: Matter) -> int:
    """The submitter stops all notices of ``matter`` (the tracking page)."""
    with transaction.atomic():
        n = Subscription.objects.filter(matter=matter, active=True).update(active=False)
        if n:
            audit.record("notice.unsubscribe", matter, data={"subscriptions": n})
    return n


def event_of(matter: Matter, step: Step) -> str:
    """What the submitter is told of ``step`` (``已受理``), or "" when nothing."""
    if step.action in ("register", "note") or step.actor_id is None:
        return ""  # the submitter's own steps (and imports, which send no signal)
    procedure = matter.declaration
    action = procedure.action(step.action)
    if action.notify:
        return action.notify
    target = action.target_for(step.data)
    if target is not None and target in procedure.closed_states:
        return "已办结"
    field = REPLY_TEXT.get(step.action)
    if field and not action.generic and step.data.get(field):
        return "已答复"
    return ""


def message(matter: Matter, event: str) -> str:
    return (
        f"【{district_name()}】您提交的{matter.procedure_label}（查询编号{matter.reference}）"
        f"{event}。详情请凭查询编号和查询码在{settings.FAZHI_SITE_NAME}“进度查询”查看。"
    )


def on_step_recorded(sender: str, matter: Matter, step: Step, **kwargs: Any) -> None:
    """``procedures.signals.step_recorded``: queue the notices of ``step`` (in its transaction).

    What the step tells the submitter is decided first: most steps, the registration among
    them, tell nothing, and then the subscriptions are not read (#19: one query fewer a
    public submission)."""
    event = event_of(matter, step)
    if not event:
        return
    subs = list(Subscription.objects.filter(matter=matter, active=True))
    if not subs:
        return
    text = message(matter, event)
    for sub in subs:
        notice = Notice.objects.create(subscription=sub, matter=matter, step=step, text=text)
        transaction.on_commit(functools.partial(send_notice.enqueue, notice.pk))


@task()
def send_notice(notice_id: int) -> str:
    """The django-tasks task: send one notice (``fazhi worker``)."""
    notice = Notice.objects.select_related("subscription").filter(pk=notice_id).first()
    if notice is None or notice.status == NoticeStatus.SENT:
        return "gone"
    return deliver(notice)


def deliver(notice: Notice) -> str:
    """Send ``notice`` through its channel; its status afterwards."""
    sub = notice.subscription
    notice.attempts += 1
    try:
        send = _send_sms if sub.channel == NoticeChannel.SMS else _send_email
        sent = send(sub.address, notice)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        notice.status = NoticeStatus.FAILED
        notice.error = f"{type(exc).__name__}: {exc}"[:300]
        logger.warning("notice %s not sent: %s", notice.pk, notice.error)
        if notice.attempts < MAX_ATTEMPTS:
            transaction.on_commit(functools.partial(send_notice.enqueue, notice.pk))
    else:
        if sent:
            notice.status, notice.sent_at, notice.error = NoticeStatus.SENT, clock.now(), ""
        else:
            notice.status = NoticeStatus.UNCONFIGURED
            notice.error = (
                "未配置短信网关（FAZHI_SMS_URL）"
                if sub.channel == NoticeChannel.SMS
                else "未配置邮件服务器（FAZHI_EMAIL_URL）"
            )
    notice.save(update_fields=["status", "attempts", "error", "sent_at"])
    return str(notice.status)


def template_params(notice: Notice) -> dict[str, str]:
    """The parts of a notice for a provider's approved template (sms_aliyun): the same words
    as its text, no name, no content, no code."""
    matter = notice.matter
    return {
        "procedure": matter.procedure_label,
        "reference": matter.reference,
        "event": event_of(matter, notice.step),
        "site": settings.FAZHI_SITE_NAME,
    }


def _send_sms(to: str, notice: Notice) -> bool:
    text = notice.text
    url = settings.FAZHI_SMS_URL
    if url.split("://", 1)[0] in sms_aliyun.SCHEMES:  # the provider's templated messages
        sms_aliyun.send(url, to, template_params(notice), TIMEOUT_SECONDS)
        return True
    if url:
        if not url.startswith(("https://", "http://")):
            raise ValueError("FAZHI_SMS_URL 须以 http://、https:// 或 aliyun:// 开头")
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 # nosec B310
                status = response.status
        except urllib.error.HTTPError as exc:
            exc.close()
            status = exc.code
        if not 200 <= status < 300:
            raise ValueError(f"短信网关答复 HTTP {status}")
        return True
    outbox = settings.FAZHI_SMS_OUTBOX
    if outbox:
        path = Path(outbox)
        path.mkdir(parents=True, exist_ok=True)
        with (path / "sms.log").open("a", encoding="utf-8") as f:
            line = {"at": clock.now().isoformat(), "to": to, "text": text}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        return True
    return False


def _send_email(to: str, notice: Notice) -> bool:
    if not settings.FAZHI_EMAIL_ENABLED:
        return False
    send_mail(f"{district_name()}：事项办理进度", notice.text, settings.DEFAULT_FROM_EMAIL, [to])
    return True


def staff_panel(matter: Matter, request: Any) -> dict[str, Any] | None:
    """The staff matter page's block (core.nav ``EVERY_PROCEDURE``): what the submitter asked
    to be told by and each notice sent (channel, step, when, status); None when they asked for
    nothing. The addresses are left out: the party's contact is shown where it belongs."""
    subs = list(Subscription.objects.filter(matter=matter).order_by("channel"))
    if not subs:
        return None
    procedure = matter.declaration
    notices = []
    for n in (
        Notice.objects.filter(matter=matter)
        .select_related("subscription", "step")
        .order_by("created_at", "pk")
    ):
        notices.append(
            {
                "channel": n.subscription.get_channel_display(),
                "step": _step_label(procedure, n.step.action),
                "on": n.step.on,
                "created_at": n.created_at,
                "sent_at": n.sent_at,
                "status": n.status,
                "status_label": n.get_status_display(),
                "error": n.error,
                "attempts": n.attempts,
            }
        )
    return {
        "subscriptions": [
            {"channel": s.get_channel_display(), "active": s.active, "since": s.created_at}
            for s in subs
        ],
        "notices": notices,
    }


def _step_label(procedure: Any, action: str) -> str:
    try:
        return str(procedure.action(action).label)
    except ProcedureError:
        return action
