"""``fazhi api``: issue staff API tokens and Open311 client keys from the command line.

fazhi api token USERNAME [--reset]       print the user's API token (created if missing)
fazhi api client NAME [--org CODE]       create an Open311 client; print its api_key once
fazhi api client NAME --reset            give an existing client a new api_key
fazhi api clients                        list the clients
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from fazhi.api.models import ApiClient
from fazhi.core import audit
from fazhi.core.scope import scope_of
from fazhi.procedures.errors import ProcedureError
from fazhi.procedures.services import resolve_org


class Command(BaseCommand):
    help = "接口管理：签发工作人员的接口令牌，建立 Open311 接入系统及其 api_key。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        token = sub.add_parser("token", help="打印用户的接口令牌（没有则新建）。")
        token.add_argument("username", help="用户名。")
        token.add_argument("--reset", action="store_true", help="作废旧令牌，签发新令牌。")
        client = sub.add_parser("client", help="建立 Open311 接入系统并打印其 api_key（仅一次）。")
        client.add_argument("name", help="接入系统名称，如“12345热线”。")
        client.add_argument(
            "--org", help="受理其提交的机构（区划代码、编号或全称）；默认按受理分派。"
        )
        client.add_argument("--reset", action="store_true", help="为已有的接入系统换发新密钥。")
        sub.add_parser("clients", help="列出接入系统。")

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        if what == "token":
            self._token(options["username"], reset=options["reset"])
        elif what == "client":
            self._client(options["name"], org=options.get("org"), reset=options["reset"])
        else:
            for c in ApiClient.objects.select_related("org").order_by("name"):
                state = "启用" if c.active else "停用"
                org = c.org.name if c.org else "按受理分派"
                self.stdout.write(f"{c.name}\t{c.key_prefix}…\t{org}\t{state}")

    def _token(self, username: str, *, reset: bool) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”。")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用。")
        if not scope_of(user).is_staff_member:
            raise CommandError(f"用户“{username}”没有所在机构和角色，令牌无法使用接口。")
        with transaction.atomic():
            if reset:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
            if created:
                audit.record("api.token_issued", user, label="命令行")
        self.stdout.write(token.key)

    def _client(self, name: str, *, org: str | None, reset: bool) -> None:
        unit = None
        if org:
            try:
                unit = resolve_org(org)
            except ProcedureError as exc:
                raise CommandError(exc.message) from None
        with transaction.atomic():
            client = ApiClient.objects.filter(name=name).first()
            if client is not None and not reset:
                raise CommandError(f"接入系统“{name}”已存在；换发密钥请加 --reset。")
            if client is None:
                client = ApiClient(name=name, org=unit)
            elif unit is not None:
                client.org = unit
            raw = client.set_new_key()
            client.save()
            audit.record("api.client_key", client, label="命令行")
        self.stdout.write(raw)
        self.stderr.write(f"api_key 只显示这一次，请妥善交给“{name}”。")
