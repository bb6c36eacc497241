"""Public pages write dates one way, 2026年12月3日, through one filter (issue #21: the receipt
said 2026-12-03 beside 2026年12月3日 elsewhere)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone

import fazhi
from fazhi.core.dates import public_date
from fazhi.core.officialdoc import chinese_date

ROOT = Path(fazhi.__file__).parent
DISPLAY_DATE = re.compile(r"""\|date:(["'])[^"']*\1""")
IN_ATTRIBUTE = re.compile(r"""(value|datetime)=(["'])[^"'>]*$""")


def test_public_date():
    assert public_date(dt.date(2026, 12, 3)) == "2026年12月3日"
    assert public_date(None) == ""
    moment = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)  # 01:00 on the 4th in Shanghai
    assert public_date(timezone.localtime(moment)) == "2026年12月4日"
    assert chinese_date(dt.date(2025, 3, 31)) == "2025年3月31日"  # the report's signature


def test_the_filter():
    out = Template("{% load dates %}{{ d|public_date }}").render(
        Context({"d": dt.date(2024, 1, 5)})
    )
    assert out == "2024年1月5日"


def public_templates() -> list[Path]:
    """Every template that extends the public base (directly or through one that does) and
    the templates they include."""
    templates = {p: p.read_text(encoding="utf-8") for p in ROOT.rglob("templates/**/*.html")}
    names = {p: str(p).split("/templates/", 1)[1] for p in templates}
    public = {"fazhi/public_base.html"}
    changed = True
    while changed:
        changed = False
        for p, text in templates.items():
            name = names[p]
            if name in public:
                continue
            extends = re.search(r'{%\s*extends\s+"([^"]+)"', text)
            if extends and extends.group(1) in public:
                public.add(name)
                changed = True
        for p, text in templates.items():
            if names[p] in public:
                for included in re.findall(r'{%\s*include\s+"([^"]+)"', text):
                    if included not in public:
                        public.add(included)
                        changed = True
    return sorted(p for p in templates if names[p] in public - {"fazhi/public_base.html"})


def test_no_public_template_formats_a_date_itself():
    found = public_templates()
    assert len(found) >= 15, found  # the portal, disclosures, registers, reports, errors
    offending = []
    for p in found:
        text = p.read_text(encoding="utf-8")
        for m in DISPLAY_DATE.finditer(text):
            if not IN_ATTRIBUTE.search(text[max(0, m.start() - 80) : m.start()]):
                offending.append(f"{p.relative_to(ROOT)}: {m.group(0)}")
    assert not offending, offending
