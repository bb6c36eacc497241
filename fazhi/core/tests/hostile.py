"""The hostile-input corpus (issue 19, "Build and prove"): what an attacker or a careless user
types, shared by the portal's, the API's, Open311's and the import's tests.

Each test feeds these into every text field it has and asserts: refused with a clear Chinese
message, or stored as typed and rendered escaped; never a 5xx.
"""

from __future__ import annotations

import re

# stored as typed, shown escaped
SCRIPT = '<script>alert("x")</script>'
IMG = '<img src=x onerror="alert(1)">'
SQL = "'; DROP TABLE procedures_matter; --"
SQL_UNION = "1' OR '1'='1' UNION SELECT password FROM auth_user --"
TEMPLATE = "{{ settings.SECRET_KEY }}{% debug %}"
TRAVERSAL = "../../../../etc/passwd"
RTL = "\u202etxt.exe"
EMOJI = "😀" * 10
INERT_TEXTS = [SCRIPT, IMG, SQL, SQL_UNION, TEMPLATE, TRAVERSAL, RTL, EMOJI]

# refused
NUL = "正常\x00文字"

# what must never appear unescaped in a page
DANGEROUS_MARKUP = ("<script>alert", "<img src=x onerror")

# deep nesting that makes the standard library's json recurse past Python's limit
DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 100_000 + "1" + "}" * 100_000

IMPOSSIBLE_DATES = ["2024-02-30", "2023-13-01", "0000-01-01", "2024-00-10", "99999-01-01"]
OUT_OF_RANGE_DATES = ["1900-01-01", "0001-01-01", "9999-12-31"]
ABSURD_NUMBERS = ["-1", "0", "99999999999999999999999", "1e308", "NaN", "1.5", "0x10"]

# resident IDs: a bad check digit, a bad birth date, a wrong length, letters
INVALID_IDS = ["110105194912310021", "110105194902300028", "11010519491231", "ABCDEFGHIJKLMNOPQR"]
# unified social credit codes (GB 32100): a bad check character, wrong length, forbidden letters
INVALID_CREDIT_CODES = ["91110000600037341X", "9111000060003734", "IOZSV0000600037341"]

CHINESE = re.compile("[\u4e00-\u9fff]")


def assert_no_raw_markup(html: str) -> None:
    for marker in DANGEROUS_MARKUP:
        assert marker not in html, f"unescaped markup in the page: {marker}"
