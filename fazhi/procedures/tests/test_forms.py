"""Forms built from declarations: the fields they render and what they hand to the engine."""

import datetime as dt

import pytest
from django import forms

from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.errors import InvalidData, MissingData
from fazhi.procedures.forms import ActionForm, MatterForm

D = dt.date


def test_action_form_fields_follow_the_declaration():
    refuse = get_procedure("business_complaint").action("refuse")
    form = ActionForm(refuse, today=D(2025, 6, 16))
    assert list(form.fields) == ["reason", "on"]
    assert isinstance(form.fields["reason"].widget, forms.Textarea)
    assert form.fields["reason"].label == "不予受理理由"
    assert form.fields["reason"].widget.attrs["required"] is True
    assert form.fields["on"].initial == "2025-06-16"
    assert form.fields["on"].widget.input_type == "date"
    html = form.as_div()
    assert 'id="id_refuse_reason"' in html


def test_choice_bool_int_and_org_widgets():
    rate = get_procedure("business_complaint").action("rate")
    form = ActionForm(rate)
    assert isinstance(form.fields["satisfaction"].widget, forms.Select)
    assert ("dissatisfied", "不满意") in form.fields["satisfaction"].widget.choices
    assert "required" not in form.fields["comment"].widget.attrs  # optional in the declaration
    accept = get_procedure("reconsideration").action("accept")
    assert isinstance(ActionForm(accept).fields["simplified"], forms.BooleanField)
    extend = get_procedure("reconsideration").action("extend")
    days = ActionForm(extend).fields["days"].widget
    assert (days.input_type, days.attrs["min"], days.attrs["max"]) == ("number", 1, 365)

    class Unit:
        def __init__(self, pk, label):
            self.pk, self.label = pk, label

    transfer = get_procedure("business_complaint").action("transfer")
    form = ActionForm(transfer, orgs=[Unit(7, "区司法局"), Unit(9, "区市场监管局")])
    assert form.fields["to_org"].widget.choices == [
        ("", "——请选择机构——"),
        ("7", "区司法局"),
        ("9", "区市场监管局"),
    ]


def test_action_data_is_passed_as_typed():
    accept = get_procedure("reconsideration").action("accept")
    form = ActionForm(accept, {"simplified": "on", "on": "2025-06-10"})
    assert form.is_valid()
    assert form.action_data() == {"simplified": True}
    assert form.on == D(2025, 6, 10)
    form = ActionForm(accept, {})
    assert form.is_valid()
    assert form.action_data() == {"simplified": False}
    assert form.on is None  # the engine takes today


def test_malformed_date_is_reported_on_the_field():
    accept = get_procedure("business_complaint").action("accept")
    form = ActionForm(accept, {"on": "16/06/2025"})
    assert not form.is_valid()
    assert "不是有效的日期" in form.errors["on"][0]


def test_engine_errors_land_on_their_field():
    refuse = get_procedure("business_complaint").action("refuse")
    form = ActionForm(refuse, {"on": "2025-06-10", "reason": ""})
    assert form.is_valid()
    form.add_procedure_error(MissingData("缺少“不予受理理由”（reason）。", field="reason"))
    assert form.errors["reason"] == ["缺少“不予受理理由”（reason）。"]
    form.add_procedure_error(InvalidData("状态不对。", field="action"))
    assert form.non_field_errors() == ["状态不对。"]


@pytest.mark.django_db
def test_matter_form_collects_party_and_details(district):
    procedure = get_procedure("help_request")
    form = MatterForm(
        procedure,
        {
            "org": str(district["a"].pk),
            "received_on": "2025-06-10",
            "subject": "办证难",
            "channel": "phone",
            "party.name": "李四",
            "party.phone": "13800138000",
            "details.kind": "help",
            "details.content": "",
        },
        orgs=[district["a"]],
    )
    assert form.is_valid()
    assert form.register_kwargs() == {
        "org": str(district["a"].pk),
        "received_on": D(2025, 6, 10),
        "subject": "办证难",
        "channel": "phone",
        "party": {
            "name": "李四",
            "kind": "",
            "id_number": "",
            "phone": "13800138000",
            "address": "",
        },
        "details": {"kind": "help", "consent_publish": False},
    }
    assert [f.name for f in form.detail_fields] == [
        "details.kind",
        "details.content",
        "details.consent_publish",
    ]
    form.add_procedure_error(InvalidData("证件号码错误。", field="party.id_number"))
    assert form.errors["party.id_number"] == ["证件号码错误。"]
