"""``core.choices``: a choice's code, label or documented synonym read into its code."""

import pytest

from fazhi.core.choices import SYNONYMS, allowed_words, choice_code
from fazhi.procedures.models import Channel, PartyKind, Satisfaction

KINDS = PartyKind.choices


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("person", "person"),
        ("自然人", "person"),
        ("个人", "person"),  # the public form's word
        (" 个 人 ", "person"),
        ("organisation", "organisation"),
        ("ORGANISATION", "organisation"),
        ("法人或其他组织", "organisation"),
        ("企业或其他组织", "organisation"),  # the public form's word
        ("企业", "organisation"),
    ],
)
def test_party_kind_words(text, code):
    assert choice_code(KINDS, text) == code


@pytest.mark.parametrize(
    ("choices", "text", "code"),
    [
        (Satisfaction.choices, "满意", "satisfied"),
        (Satisfaction.choices, "基本满意", "basically_satisfied"),
        (Satisfaction.choices, "比较满意", "basically_satisfied"),
        (Satisfaction.choices, "不满意", "dissatisfied"),
        (Satisfaction.choices, "非常满意", "satisfied"),
        (Channel.choices, "窗口", "window"),
        (Channel.choices, "现场", "window"),
        (Channel.choices, "12345热线", "hotline"),
        (Channel.choices, "１２３４５", "hotline"),  # full-width digits
        (Channel.choices, "ＡＰＰ", "mobile"),
        (Channel.choices, "来信", "letter"),
    ],
)
def test_labels_and_synonyms_of_other_choices(choices, text, code):
    assert choice_code(choices, text) == code


@pytest.mark.parametrize("text", ["", "群众", "满意度", None, "personx"])
def test_unknown_words_are_no_choice(text):
    assert choice_code(KINDS, text) is None
    assert choice_code(Satisfaction.choices, text) is None


def test_a_word_meaning_two_choices_of_a_field_means_neither():
    choices = (("person", "自然人"), ("citizen", "自然人"))  # one label, two codes
    assert choice_code(choices, "个人") is None
    assert choice_code(choices, "自然人") is None
    assert choice_code(choices, "citizen") == "citizen"


def test_a_synonym_never_shadows_a_code_or_label():
    choices = (("window", "窗口"), ("onsite", "现场"))
    assert choice_code(choices, "现场") == "onsite"


def test_every_synonym_is_a_word_of_one_label():
    seen: dict[str, str] = {}
    for label, words in SYNONYMS.items():
        for w in words:
            assert w not in SYNONYMS, w  # a synonym is not itself a label
            assert seen.setdefault(w, label) == label, w


def test_allowed_words_are_the_labels():
    assert allowed_words(Satisfaction.choices) == "满意、基本满意、不满意"
