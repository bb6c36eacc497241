"""#19 Done-when: a citizen's submission with names, an address and health details in its text
appears on no public page or answer until staff release it, and then masked.

A mailbox letter (the intake whose replies the portal publishes on /replies/ and Open311
lists) is submitted through the portal's form, with the writer's and a relative's name, a home
address, a diagnosis, a phone and an ID in its text, and consent to publish. Before staff
release it: /replies/, the home page, Open311 (list and the request, JSON and XML) and the
staff API without a token show nothing of it. Staff reply and release it from the workbench's
release page; then /replies/ and Open311 show it, without the names, the address below the
district, the phone or the ID. Once with Django's test client (the API test), once in chromium.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connections

from fazhi.core.tests.browser import CHROMIUM, require_browser
from fazhi.portal.tests.test_browser import ARGS, PASSWORD
from fazhi.procedures.models import Matter
from fazhi.procedures.services import act

NAME = "欧阳娜娜"
RELATIVE = "司马建国"
PHONE = "13912345678"
ID_NUMBER = "220302198512314561"
ADDRESS = "四平市铁西区幸福小区3栋501室"
SUBJECT = "母亲就医报销问题"
CONTENT = (
    f"我叫{NAME}，身份证{ID_NUMBER}，住{ADDRESS}，电话{PHONE}。"
    f"我母亲患者{RELATIVE}确诊为2型糖尿病并发肾病，住院费用报销被拒，请帮助核实。"
)
# the clerk who replies (the account's name) is named bare: only the record knows it is a name
HANDLER = "赵铁柱"
REPLY = (
    f"{NAME}您好：经核实，{RELATIVE}的住院费用符合报销条件，已通知医保中心办理。经办人{HANDLER}。"
)
# what must never be public: before release, anything of the letter; after, these
SECRETS = (
    NAME,
    "娜娜",
    RELATIVE,
    "建国",
    PHONE,
    ID_NUMBER,
    "幸福小区",
    "3栋501室",
    HANDLER,
    "铁柱",
)
BEFORE = (*SECRETS, SUBJECT, "糖尿病", "医保中心")
OPEN311 = "/open311/v2"


def public_texts(get, reference: str) -> dict[str, str]:
    """Every public place the letter could appear: path → text."""
    out = {}
    for path in (
        "/",
        "/replies/",
        f"{OPEN311}/requests.json",
        f"{OPEN311}/requests.xml",
        f"{OPEN311}/requests/{reference}.json",
        f"{OPEN311}/requests/{reference}.xml",
        "/api/v1/matters/",
        f"/api/v1/matters/{reference}/",
    ):
        cache.clear()
        status, text = get(path)
        assert status < 500, (path, status)
        if path.startswith("/api/"):
            assert status in (401, 403), (path, status)
        # a 404 and the browsable API's 401 echo the number asked for: not a disclosure
        out[path] = text.replace(path, "").replace(f"没有编号为“{reference}”", "")
    return out


def leaks(texts: dict[str, str], values) -> list[str]:
    import html

    return [f"{p}: {v}" for p, t in texts.items() for v in values if v in html.unescape(t)]


@pytest.mark.django_db
def test_a_letter_is_public_only_after_release_and_then_masked(client, intake, users):
    answer = client.post(
        "/mailbox/",
        {
            "name": NAME,
            "phone": PHONE,
            "subject": SUBJECT,
            "content": CONTENT,
            "consent_publish": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:600]
    matter = Matter.objects.get(procedure="mailbox_letter")
    assert matter.details["content"] == CONTENT and matter.details["consent_publish"] is True

    def get(path):
        r = client.get(path)
        return r.status_code, r.content.decode()

    before = public_texts(get, matter.reference)
    assert not leaks(before, (*BEFORE, matter.reference)), leaks(before, BEFORE)

    staff = users["staff_a"]
    staff.first_name = HANDLER
    staff.save(update_fields=["first_name"])
    act(matter, "reply", staff, reply=REPLY)
    replied = public_texts(get, matter.reference)  # a reply written is not yet public
    assert not leaks(replied, (*BEFORE, matter.reference))

    client.force_login(staff)
    release = f"/workbench/matters/{matter.pk}/release/"
    preview = client.get(release).content.decode()
    assert "糖尿病" in preview and NAME not in preview.split("预览", 1)[-1]
    assert client.post(release, {"decision": "release"}).status_code == 302
    client.logout()

    after = public_texts(get, matter.reference)
    assert not leaks(after, SECRETS), leaks(after, SECRETS)
    assert SUBJECT in after["/replies/"] and "已通知医保中心办理" in after["/replies/"]
    item = client.get(f"{OPEN311}/requests/{matter.reference}.json").json()[0]
    assert item["service_request_id"] == matter.reference
    assert "糖尿病" in item["description"] and "欧*" in item["description"]
    assert "已通知医保中心办理" in item["status_notes"]
    assert [r["service_request_id"] for r in client.get(f"{OPEN311}/requests.json").json()] == [
        matter.reference
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_a_letter_is_public_only_after_release(
    live_server, intake, users, monkeypatch
):
    require_browser()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    staff = users["staff_a"]
    staff.set_password(PASSWORD)
    staff.first_name = HANDLER
    staff.save()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context(locale="zh-CN").new_page()

            def get(path):
                cache.clear()
                response = page.goto(f"{live_server.url}{path}")
                return response.status, page.content()

            page.goto(f"{live_server.url}/mailbox/")
            page.get_by_label("姓名").fill(NAME)
            page.get_by_label("联系电话").fill(PHONE)
            page.get_by_label("来信标题").fill(SUBJECT)
            page.get_by_label("来信内容").fill(CONTENT)
            page.get_by_label("同意审核后隐去个人信息公开").check()
            page.get_by_role("button", name="提交", exact=True).click()
            expect(page.get_by_role("heading", name="提交成功")).to_be_visible()
            reference = page.get_by_test_id("reference").inner_text().strip()
            matter = Matter.objects.get(reference=reference)

            before = public_texts(get, reference)
            assert not leaks(before, (*BEFORE, reference)), leaks(before, BEFORE)
            act(matter, "reply", staff, reply=REPLY)
            assert not leaks(public_texts(get, reference), (*BEFORE, reference))

            desk = browser.new_context(locale="zh-CN").new_page()
            desk.goto(f"{live_server.url}/accounts/login/")
            desk.get_by_label("用户名").fill(staff.username)
            desk.get_by_label("密码").fill(PASSWORD)
            desk.get_by_role("button", name="登录").click()
            desk.wait_for_url(f"{live_server.url}/workbench/**")
            desk.goto(f"{live_server.url}/workbench/matters/{matter.pk}/release/")
            desk.get_by_role("button", name="按预览公开").click()
            desk.wait_for_load_state()

            page.goto(f"{live_server.url}/replies/")
            expect(page.get_by_text(SUBJECT)).to_be_visible()
            expect(page.get_by_text(re.compile("已通知医保中心办理"))).to_be_visible()
            after = public_texts(get, reference)
            assert not leaks(after, SECRETS), leaks(after, SECRETS)
            assert reference in after[f"{OPEN311}/requests/{reference}.json"]
        finally:
            browser.close()
            connections.close_all()
