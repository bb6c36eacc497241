"""Reference numbers: sequential per prefix and year, no gaps, one statement (#19)."""

from __future__ import annotations

import pytest
from django.db import transaction

from fazhi.procedures.declarations import get_procedure
from fazhi.procedures.models import ReferenceCounter
from fazhi.procedures.services import next_reference
from fazhi.procedures.services.references import reference_prefix

pytestmark = pytest.mark.django_db

HELP = get_procedure("help_request")
PREFIX = reference_prefix(HELP)


def test_numbers_follow_on_per_prefix_and_year():
    with transaction.atomic():
        first = [next_reference(HELP, 2024) for _ in range(3)]
        other_year = next_reference(HELP, 2025)
    assert first == [f"{PREFIX}-2024-00000{n}" for n in (1, 2, 3)]
    assert other_year == f"{PREFIX}-2025-000001"
    assert ReferenceCounter.objects.get(prefix=PREFIX, year=2024).last == 3


def test_a_counter_set_by_an_import_goes_on_from_its_last_number():
    ReferenceCounter.objects.create(prefix=PREFIX, year=2024, last=41)
    with transaction.atomic():
        assert next_reference(HELP, 2024) == f"{PREFIX}-2024-000042"


def test_a_rolled_back_registration_gives_its_number_back():
    with transaction.atomic():
        assert next_reference(HELP, 2024).endswith("000001")

    def register_then_fail():
        with transaction.atomic():
            assert next_reference(HELP, 2024).endswith("000002")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        register_then_fail()
    with transaction.atomic():
        assert next_reference(HELP, 2024).endswith("000002")


def test_one_statement_takes_the_number(django_assert_num_queries):
    ReferenceCounter.objects.create(prefix=PREFIX, year=2024, last=7)
    with transaction.atomic(), django_assert_num_queries(1):
        assert next_reference(HELP, 2024).endswith("000008")
    with transaction.atomic(), django_assert_num_queries(1):  # the year's first number too
        assert next_reference(HELP, 2030).endswith("000001")
