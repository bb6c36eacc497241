"""The project as a whole: migrations in sync, the command's errors, the demo district."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from fazhi.core.models import OrgKind, OrgUnit, Role, StaffProfile


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _fazhi(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("FAZHI_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    full_env.update(env)
    return subprocess.run(  # noqa: S603 our own command with fixed arguments
        [sys.executable, "-m", "fazhi", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysqlx://x", "DATABASE_URL"),
        ("postgres://postgres@127.0.0.1:1/none", "DATABASE_URL"),
    ],
)
def test_broken_database_url_is_named_without_traceback(url, fragment, tmp_path):
    result = _fazhi("migrate", DATABASE_URL=url, FAZHI_DEBUG="1", FAZHI_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_production_without_secret_key_fails_closed(tmp_path):
    result = _fazhi("check", FAZHI_VAR_DIR=str(tmp_path))
    assert result.returncode == 2
    assert "FAZHI_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
    result = _fazhi("check", FAZHI_VAR_DIR=str(tmp_path), FAZHI_SECRET_KEY="x" * 50)
    assert "FAZHI_ALLOWED_HOSTS" in result.stderr


@pytest.mark.django_db
def test_demo_builds_the_district_idempotently():
    out = io.StringIO()
    call_command("demo", "--no-serve", verbosity=0, stdout=out)
    count = OrgUnit.objects.count()
    call_command("demo", "--no-serve", verbosity=0, stdout=out)
    assert "fazhiban" in out.getvalue()
    assert OrgUnit.objects.count() == count
    root = OrgUnit.objects.get(division_code="220302")
    assert root.name == "四平市铁西区人民政府"
    township = OrgUnit.objects.get(kind=OrgKind.TOWNSHIP)
    assert township.children.filter(kind=OrgKind.INTERNAL).count() == 8
    for street in OrgUnit.objects.filter(kind=OrgKind.STREET):
        assert street.children.filter(kind=OrgKind.INTERNAL).count() == 6
    assert set(StaffProfile.objects.values_list("role", flat=True)) == set(Role.values)
