"""The public site: submit (three channels), track, rate, read published replies.

Views only parse input, call the engine (through ``services.submit_public`` and
``procedures.services.act``) and render. Every public POST is rate-limited per client address
(``fazhi.core.ratelimit``), protected by CSRF, and answers an oversize body with a Chinese
page instead of an error. Tracking keeps only a signed, expiring matter id in the session.

The 已提交 receipt after a submission is a short-lived signed cookie, not the session (#19: a
session row written per citizen was a third write transaction per submission): HttpOnly,
sent only to the receipt page, expiring with ``RECEIPT_SECONDS``. The verification code it
carries is never in a URL, so never in an access log (#19 defect 8).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.decorators.http import require_POST

from fazhi.core import errorpages
from fazhi.core.dates import public_date
from fazhi.core.nav import nav_links
from fazhi.core.ratelimit import client_address, rate_limited, seconds_to_next_window
from fazhi.core.storage import open_stored
from fazhi.portal import public
from fazhi.portal.forms import (
    ActionForm,
    SubmissionForm,
    SupplementForm,
    TrackForm,
    submission_form,
)
from fazhi.portal.models import Subscription
from fazhi.portal.notices import unsubscribe
from fazhi.portal.services import SUPPLEMENT, submit_public, supplement_matter
from fazhi.procedures.attachments import max_attachment_bytes
from fazhi.procedures.declarations import Action, get_procedure
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.models import Matter
from fazhi.procedures.permissions import allowed_actions
from fazhi.procedures.services import CODE_POLICY, act, find_for_tracking, snapshot_of

logger = logging.getLogger(__name__)

RATE_SCOPE = "portal"
RECEIPT_COOKIE = "fazhi_receipt"
RECEIPT_SALT = "fazhi.portal.receipt"
RECEIPT_SECONDS = 30 * 60  # the receipt page survives a reload for half an hour
TRACK_KEY = "portal_track"
TRACK_SALT = "fazhi.portal.track"
TRACK_SECONDS = 30 * 60  # a tracking session lasts half an hour; then the code is asked again
EXPIRED = "查询已过期，请重新输入查询编号和查询码。"
NOT_FOUND = "未找到对应的事项。请核对查询编号和查询码后重试（查询码不区分大小写）。"

ViewFunc = Callable[..., HttpResponseBase]


# --- refusals: too many, too big, bad request --------------------------------------------


def too_many_requests(request: HttpRequest) -> HttpResponse:
    wait = seconds_to_next_window()
    response = render(
        request,
        "portal/refused.html",
        {
            "title": "提交过于频繁",
            "message": f"同一网络地址每分钟最多提交 {_rate()} 次。请在 {wait} 秒后再试。",
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _rate() -> int:
    return int(settings.FAZHI_PUBLIC_RATE_PER_MINUTE)


def _mb(size: int) -> str:
    return f"{size / 1048576:.0f} MB"


def oversize_response(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/refused.html",
        {
            "title": "提交的内容过大",
            "message": (
                f"填写的文字合计不能超过 {_mb(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}，"
                f"每个附件不能超过 {_mb(max_attachment_bytes())}。"
                "请删减内容或压缩附件后，返回上一页重新提交。"
            ),
        },
        status=413,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 400 handler (fazhi.urls.handler400): plain Chinese, 413 for a body too big.

    Django raises ``RequestDataTooBig`` while reading the body, which the CSRF middleware
    does before any view runs; this handler is where that lands. The API and Open311 answer
    in their own format (``fazhi.core.errorpages``).
    """
    if isinstance(exception, RequestDataTooBig) and not errorpages.for_programs(request):
        return oversize_response(request)
    return errorpages.bad_request(request, exception)


def public_view(view: ViewFunc) -> ViewFunc:
    """Rate-limit POSTs per address, and answer oversize bodies read in the view (413)."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as exc:
            return bad_request(request, exc)

    functools.update_wrapper(guarded, view)
    return rate_limited(RATE_SCOPE, response=too_many_requests)(guarded)


# --- home ------------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    letters = public.published_letters()[:3]
    return render(
        request,
        "portal/home.html",
        {
            "channels": public.channels(),
            "track_form": TrackForm(),
            "replies": public.published_replies(letters),
            "open_links": nav_links("open", request.path, request.user),  # the domains' (nav.py)
        },
    )


# --- submit ------------------------------------------------------------------------------------


class SubmitView(View):
    """One channel's form: GET shows it, POST registers the matter and shows the receipt."""

    procedure = ""
    template_name = "portal/submit.html"

    def form_class(self) -> type[SubmissionForm]:
        return submission_form(self.procedure)

    def render_form(self, request: HttpRequest, form: SubmissionForm) -> HttpResponse:
        declaration = get_procedure(self.procedure)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "procedure": declaration,
                "time_limits": public.time_limit_text(declaration),
                "summary": public.summary(self.procedure),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, self.form_class()())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class()(request.POST, request.FILES)
        if form.honeypot_filled:
            # A bot: answer as if received, create nothing, say nothing about why.
            logger.info("portal: honeypot filled from %s", client_address(request))
            return render(request, "portal/submitted.html", {"receipt": None})
        if not form.is_valid():
            return self.render_form(request, form)
        try:
            matter = submit_public(
                self.procedure,
                subject=form.cleaned_data["subject"],
                party=form.party(),
                details=form.details(),
                attachments=form.attachments,
                notify=form.notify(),
            )
        except ProcedureError as exc:
            form.add_engine_error(exc)
            return self.render_form(request, form)
        response = redirect("portal:submitted")
        set_receipt(
            response,
            {
                "reference": matter.reference,
                "code": matter.verification_code,
                "procedure": matter.procedure_label,
                "received_on": public_date(matter.received_on),  # 2026年12月3日 (core.dates)
                "unit": matter.org.name,
                "time_limits": public.time_limit_text(matter.declaration),
            },
        )
        return response


def set_receipt(response: HttpResponse, receipt: dict[str, str]) -> None:
    """Hand the receipt to the browser: signed (not forgeable), HttpOnly, for its page only."""
    response.set_cookie(
        RECEIPT_COOKIE,
        signing.dumps(receipt, salt=RECEIPT_SALT, compress=True),
        max_age=RECEIPT_SECONDS,
        path=reverse("portal:submitted"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _receipt(request: HttpRequest) -> dict[str, str] | None:
    token = request.COOKIES.get(RECEIPT_COOKIE)
    if not token:
        return None
    try:
        receipt = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_SECONDS)
    except signing.BadSignature:  # expired or tampered
        return None
    return receipt if isinstance(receipt, dict) else None


def submitted(request: HttpRequest) -> HttpResponse:
    """The receipt of the last submission in this browser (reload-safe for half an hour)."""
    receipt = _receipt(request)
    if not receipt:
        return redirect("portal:home")
    return render(
        request, "portal/submitted.html", {"receipt": receipt, "code_policy": CODE_POLICY}
    )


# --- track -------------------------------------------------------------------------------------


def _remember(request: HttpRequest, matter: Matter) -> None:
    request.session[TRACK_KEY] = signing.dumps(matter.pk, salt=TRACK_SALT)


def _remembered(request: HttpRequest) -> Matter | None:
    token = request.session.get(TRACK_KEY)
    if not token:
        return None
    try:
        pk = signing.loads(token, salt=TRACK_SALT, max_age=TRACK_SECONDS)
    except signing.BadSignature:  # expired or tampered: ask for the code again
        request.session.pop(TRACK_KEY, None)
        return None
    return public.trackable().select_related("org").filter(pk=pk).first()


def _lookup(reference: str, code: str) -> Matter | None:
    matter = find_for_tracking(reference, code)
    if matter is None or not matter.declaration.public_trackable:
        return None
    return matter


def _public_actions(matter: Matter, snap: Any) -> list[Action]:
    return allowed_actions(None, matter, public=True, snap=snap)


def _render_matter(
    request: HttpRequest,
    matter: Matter,
    bound: ActionForm | None = None,
    status: int = 200,
    supplement: SupplementForm | None = None,
) -> HttpResponse:
    steps = list(matter.steps.order_by("seq"))
    snap = snapshot_of(matter, steps)
    actions = _public_actions(matter, snap)
    forms = [
        bound if bound is not None and bound.action.name == a.name else ActionForm(a)
        for a in actions
        if a.name != SUPPLEMENT
    ]
    supplement_form = None
    if any(a.name == SUPPLEMENT for a in actions):
        supplement_form = supplement if supplement is not None else SupplementForm()
    return render(
        request,
        "portal/track.html",
        {
            "matter": matter,
            "subject": public.tracked_subject(matter),
            "submitted": public.submitted_details(matter),
            "files": public.submitter_files(matter),
            "timeline": public.public_timeline(matter, steps),
            "action_forms": forms,
            "supplement_form": supplement_form,
            "notified": Subscription.objects.filter(matter=matter, active=True).exists(),
        },
        status=status,
    )


def _render_track_form(request: HttpRequest, form: TrackForm, status: int = 200) -> HttpResponse:
    context = {"track_form": form, "following": _remembered(request)}
    return render(request, "portal/track.html", context, status=status)


@public_view
def track(request: HttpRequest) -> HttpResponse:
    """Find a matter by reference and verification code: by POST only, never in a URL."""
    if request.method == "POST":
        form = TrackForm(request.POST)
        if not form.is_valid():
            return _render_track_form(request, form)
        matter = _lookup(form.cleaned_data["reference"], form.cleaned_data["code"])
        if matter is None:
            form.add_error(None, NOT_FOUND)
            return _render_track_form(request, form)
        _remember(request, matter)
        return redirect("portal:tracked")
    if "code" in request.GET:
        # An old link with the code in its query (#19 defect 8): the code would sit in access
        # logs and browser history. Nothing is looked up; the link goes to the form, with the
        # reference kept (harmless alone) and the code dropped.
        reference = str(request.GET.get("reference", ""))[:64]
        target = reverse("portal:track")
        if reference:
            target += "?" + urlencode({"reference": reference})
        response = HttpResponseRedirect(target)
        response["Referrer-Policy"] = "no-referrer"
        return response
    if "reference" in request.GET:  # a prefilled form; the code is asked by POST
        initial = {"reference": str(request.GET["reference"])[:64]}
        return _render_track_form(request, TrackForm(initial=initial))
    # 进度查询 always opens on the form (another matter may be looked up); the matter this
    # browser is following stays one click away until the submitter ends the lookup.
    return _render_track_form(request, TrackForm())


@public_view
def tracked(request: HttpRequest) -> HttpResponse:
    """The matter this browser looked up (by number and code, within ``TRACK_SECONDS``)."""
    matter = _remembered(request)
    if matter is None:
        return redirect("portal:track")
    return _render_matter(request, matter)


@public_view
@require_POST
def track_act(request: HttpRequest, action: str) -> HttpResponse:
    """The submitter's action on the tracked matter (rate, request_reopen)."""
    matter = _remembered(request)
    if matter is None:
        messages.error(request, EXPIRED)
        return redirect("portal:track")
    snap = snapshot_of(matter)
    allowed = {a.name: a for a in _public_actions(matter, snap)}
    if action not in allowed:
        messages.error(request, "该事项当前不能进行此操作。")
        return redirect("portal:tracked")
    if action == SUPPLEMENT:
        return _supplement(request, matter)
    form = ActionForm(allowed[action], request.POST)
    if not form.is_valid():
        return _render_matter(request, matter, bound=form)
    try:
        act(matter, action, None, public=True, **form.data_for_engine())
    except ProcedureError as exc:
        form.add_engine_error(exc)
        return _render_matter(request, matter, bound=form)
    done = {
        "rate": "评价已提交，感谢您的反馈。",
        "request_reopen": "重办申请已提交，承办单位将重新办理。",
    }
    messages.success(request, done.get(action, f"“{allowed[action].label}”已提交。"))
    return redirect("portal:tracked")


def _supplement(request: HttpRequest, matter: Matter) -> HttpResponse:
    """The submitter's further information and files: one step, its files, one transaction."""
    form = SupplementForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_matter(request, matter, supplement=form, status=400)
    try:
        supplement_matter(matter, form.cleaned_data["text"], form.files_checked)
    except ProcedureError as exc:
        form.add_engine_error(exc)
        return _render_matter(request, matter, supplement=form, status=400)
    messages.success(request, "补充材料已提交，承办单位会看到。")
    return redirect("portal:tracked")


@public_view
def track_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One of the submitter's own files (or a file published to them) of the tracked matter."""
    matter = _remembered(request)
    if matter is None:
        messages.error(request, EXPIRED)
        return redirect("portal:track")
    attachment = public.submitter_files(matter).filter(pk=pk).first()
    if attachment is None:
        raise Http404("没有这个文件。")
    response = FileResponse(
        open_stored(attachment.file, "附件文件"), as_attachment=True, filename=attachment.name
    )
    response["Content-Type"] = attachment.content_type or "application/octet-stream"
    response["Cache-Control"] = "private, no-store"
    return response


@public_view
@require_POST
def track_unsubscribe(request: HttpRequest) -> HttpResponse:
    """The submitter stops the SMS and email notices of the tracked matter."""
    matter = _remembered(request)
    if matter is None:
        messages.error(request, EXPIRED)
        return redirect("portal:track")
    if unsubscribe(matter):
        messages.success(request, "已取消该事项的短信和邮件通知。")
    return redirect("portal:tracked")


@public_view
@require_POST
def track_end(request: HttpRequest) -> HttpResponse:
    """Forget the tracked matter in this browser (the code is asked again next time)."""
    request.session.pop(TRACK_KEY, None)
    return redirect("portal:track")


# --- published replies ---------------------------------------------------------------------------


def replies(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(public.published_letters(), 10)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/replies.html",
        {
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "replies": public.published_replies(page.object_list),
        },
    )


def submit_view(procedure: str) -> ViewFunc:
    """The guarded view of one channel's form (urls.py)."""
    return public_view(SubmitView.as_view(procedure=procedure))
