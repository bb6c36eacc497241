import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from fazhi.core import pii

VALID_ID = "11010519491231002X"  # the standard's own worked example (GB 11643 appendix)


def test_valid_resident_id_passes():
    assert pii.resident_id_error(VALID_ID) is None
    assert pii.resident_id_error("11010519491231002x") is None  # lower-case x accepted


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1101051949123100", "应为18位"),
        ("11010519491231002A", "前17位必须是数字"),
        ("110105194902300021", "出生日期"),
        ("110105194912310021", "校验码错误：最后一位应为“X”"),
        ("", "为空"),
        ("000000194912310027", "地区码"),
    ],
)
def test_invalid_resident_id_says_why(value, fragment):
    with pytest.raises(ValidationError) as err:
        pii.validate_resident_id(value)
    assert fragment in err.value.messages[0]


@given(
    st.sampled_from(["220302", "110105", "220303", "310104", "440305"]),
    st.from_regex(
        r"(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", fullmatch=True
    ),
)
def test_resident_id_check_digit_agrees_with_stdnum(region, rest):
    first17 = region + rest
    number = first17 + ric.calc_check_digit(first17 + "?")
    assert pii.resident_id_error(number) is None
    wrong = first17 + ("0" if number[-1] != "0" else "1")
    assert pii.resident_id_error(wrong) is not None


def _code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def test_credit_code_examples():
    assert pii.credit_code_error("91350100M000100Y43") is None  # widely published sample
    assert "校验码错误" in pii.credit_code_error("91350100M000100Y44")
    assert "18位" in pii.credit_code_error("91350100M000100Y4")
    assert "不允许的字符" in pii.credit_code_error("91350100M000100YO3")


@pytest.mark.parametrize("authority", ["N", "Y", "A"])
def test_credit_codes_stdnum_wrongly_rejects_are_accepted(authority):
    code = _code(f"{authority}1220302MA0000001")
    assert not uscc.is_valid(code)  # the library's known limitation this module works around
    assert pii.credit_code_error(code) is None


@given(
    st.text(alphabet=pii.USCC_ALPHABET, min_size=8, max_size=8),
    st.text(alphabet=pii.USCC_ALPHABET, min_size=7, max_size=7),
)
def test_credit_code_check_char_agrees_with_stdnum(region_tail, org):
    first17 = "91" + "220302" + region_tail[:2] + org
    first17 = first17[:17]
    assert pii.uscc_check_char(first17) == uscc.calc_check_digit(first17)


def test_masking():
    assert pii.mask_resident_id(VALID_ID) == "110105********002X"
    assert pii.mask_mobile("13812345678") == "138****5678"
    assert pii.mask_address("吉林省四平市铁西区英雄大街123号") == "吉林省四平市铁西区****"
    assert pii.mask_name("张三丰") == "张**"


def test_mask_text_finds_numbers_in_prose():
    text = f"我叫张三，身份证{VALID_ID}，电话13812345678，卡号6222021234567890123，金额1000元。"
    masked = pii.mask_text(text)
    assert VALID_ID not in masked and "110105********002X" in masked
    assert "13812345678" not in masked and "138****5678" in masked
    assert "6222021234567890123" not in masked and "622202*********0123" in masked
    assert "金额1000元" in masked


@given(st.text(), st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text())
def test_mask_text_never_leaks_a_mobile(before, mobile, after):
    text = f"{before} {mobile} {after}"
    assert mobile not in pii.mask_text(text) or mobile in before or mobile in after
