"""The public disclosure search (行政执法公示) over a million decisions.

The list is read from ``DisclosureEntry``: one row per decision the public may see, holding
only what is public, already masked (``disclosure.masked`` and ``core.pii.mask_name``, the one
masking): an organisation's name and credit code, a natural person's surname only, and no row
at all for a minor. The entry is written in the transaction of the step that changes what is
shown (``on_step_recorded``: publish, withdraw, expire, a transfer to another organ) and by a
bulk import (``DisclosureImport``, after its last batch); ``rebuild`` makes them all again
(``fazhi enforcement_index``). A decision leaves the list when its publicity period ends
(``shown_until``, the same period the ``expire`` action checks) even before anyone expires it.

Chinese substring search without word segmentation:

- three or more characters: SQLite FTS5 with the ``trigram`` tokenizer (an external-content
  table over ``search_text`` kept by triggers), PostgreSQL ``pg_trgm`` (a GIN trigram index,
  ``ILIKE``); both match any substring, case-insensitively;
- two characters (a shop name's 字号 such as 鑫达): trigrams cannot answer them, so each
  entry also lists its distinct two-character pairs (``bigrams``), indexed by an FTS5 table
  (unicode61, ``detail=none``) on SQLite and a GIN index over ``string_to_array(bigrams, ' ')``
  on PostgreSQL;
- a unified social credit code (18 characters, valid check digit): the indexed column;
- one character: refused (it would match most of the list).

Migration 0008 makes the tables and indexes for the database in use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from fazhi.core.pii import credit_code_error, mask_name
from fazhi.enforcement.disclosure import masked, with_public_steps
from fazhi.enforcement.models import DisclosureEntry
from fazhi.enforcement.procedures import publicity_ends
from fazhi.procedures.models import Matter, PartyKind, Step
from fazhi.procedures.publicity import load_people

PROCEDURE = "enforcement_decision"
SHOWN_STATES = ("published", "withdrawn")
FTS_TABLE = "enforcement_disclosure_fts"
BIGRAM_TABLE = "enforcement_disclosure_bigram"
COUNT_CAP = 10_000  # the list counts this far; beyond, it asks to narrow the search
MIN_QUERY = 2
MAX_QUERY = 100
NO_END = dt.date.max
CHUNK = 2000


class SearchError(ValueError):
    """A query the search cannot answer, said so that the public knows what to change."""


# --- what an entry holds -------------------------------------------------------------------


def bigrams(text: str) -> str:
    """The distinct pairs of neighbouring letters or digits of ``text``, lower case, in order."""
    s = text.casefold()
    seen: dict[str, None] = {}
    for i in range(len(s) - 1):
        pair = s[i : i + 2]
        if pair.isalnum():
            seen.setdefault(pair, None)
    return " ".join(seen)


def entry_for(matter: Matter, steps: Sequence[Step]) -> DisclosureEntry | None:
    """What the public list shows of ``matter`` (its ``steps`` in order), or None: not shown."""

    if (
        matter.procedure != PROCEDURE
        or matter.state not in SHOWN_STATES
        or matter.details.get("minor")
    ):
        return None
    publish = next((s for s in reversed(steps) if s.action == "publish"), None)
    if publish is None:  # pragma: no cover - both shown states follow a publish step
        return None
    person = matter.party_kind != PartyKind.ORGANISATION
    party = mask_name(matter.party_name) if person else masked(matter.party_name, matter)
    number = masked(matter.details.get("decision_number"), matter)[:100]
    text = number if person else f"{party} {number}"
    return DisclosureEntry(
        matter_id=matter.pk,
        organ_id=matter.org_id,
        action_type=str(matter.details.get("action_type", ""))[:20],
        decided_on=matter.received_on,
        published_on=publish.on,
        shown_until=publicity_ends(matter.party_kind, publish.on) or NO_END,
        withdrawn=matter.state == "withdrawn",
        party=party[:200],
        credit_code="" if person else matter.party_id_number[:18],
        decision_number=number,
        search_text=text,
        bigrams=bigrams(text),
    )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def sync_matters(matters: QuerySet[Matter]) -> int:
    """Write the entries of ``matters`` (of any state) again; the number now shown."""
    shown = 0
    ids = list(matters.filter(procedure=PROCEDURE).values_list("pk", flat=True))
    for chunk in _chunks(ids):
        rows = list(Matter.objects.filter(pk__in=chunk))
        load_people(rows)
        steps: dict[int, list[Step]] = {}
        for step in (
            Step.objects.filter(matter_id__in=chunk, action__in=("publish", "withdraw"))
            .only("matter_id", "seq", "action", "on")
            .order_by("matter_id", "seq")
        ):
            steps.setdefault(step.matter_id, []).append(step)
        entries = [e for m in rows if (e := entry_for(m, steps.get(m.pk, []))) is not None]
        DisclosureEntry.objects.filter(matter_id__in=chunk).delete()
        DisclosureEntry.objects.bulk_create(entries, batch_size=500)
        shown += len(entries)
    return shown


def rebuild() -> int:
    """Every entry made again from the decisions (after a change of the publicity periods)."""
    DisclosureEntry.objects.all().delete()
    return sync_matters(Matter.objects.filter(procedure=PROCEDURE, state__in=SHOWN_STATES))


def on_step_recorded(sender: Any, matter: Matter, step: Step, **kwargs: Any) -> None:
    """In the step's transaction: the decision's entry as it is after the step."""
    if sender != PROCEDURE:
        return
    steps = list(matter.steps.filter(action__in=("publish", "withdraw")).order_by("seq"))
    if step.action in ("publish", "withdraw") and all(s.pk != step.pk for s in steps):
        steps.append(step)  # pragma: no cover - the step is written before the signal
    entry = entry_for(matter, steps)
    if entry is None:
        DisclosureEntry.objects.filter(matter_id=matter.pk).delete()
    else:
        entry.save()  # an update when the decision is on the list already


class DisclosureImport:
    """The entries' part in a bulk import (``fazhi.procedures.signals.ImportObserver``): the
    references of the decisions it writes are gathered where they are replayed, and their
    entries written from the database after the import's last batch, in its transaction."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.references: set[str] = set()

    def replayed(self, matters: Sequence[Any], sign: int) -> None:
        self.pending.extend(m.reference for m in matters if m.procedure == PROCEDURE)

    def partial(self, final: bool) -> Any:
        out, self.pending = self.pending, []
        return out or None

    def merge(self, partial: Any) -> None:
        self.references.update(partial)

    def finish(self) -> None:
        self.merge(self.pending)
        self.pending = []
        refs = sorted(self.references)
        for chunk in _chunks(refs):
            sync_matters(Matter.objects.filter(procedure=PROCEDURE, reference__in=chunk))


# --- the search ----------------------------------------------------------------------------


def _phrase(text: str) -> str:
    """``text`` as one FTS5 string (a phrase: a substring for the trigram tokenizer)."""
    return '"' + text.replace('"', '""') + '"'


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_rows(table: str, text: str) -> RawSQL:
    """The rowids (= decisions) the FTS5 ``table`` finds for ``text`` as one phrase."""
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608 - table: a constant  # nosec B608
    return RawSQL(sql, [_phrase(text)])  # noqa: S611 - constant SQL, the text a parameter  # nosec B611


def _text_filter(qs: QuerySet[DisclosureEntry], query: str) -> QuerySet[DisclosureEntry]:
    pg = connection.vendor == "postgresql"
    if len(query) >= 3:
        if pg:  # by the GIN trigram index (Django's icontains would compare UPPER(...))
            return qs.extra(where=["search_text ILIKE %s"], params=[_like(query)])
        return qs.filter(pk__in=_fts_rows(FTS_TABLE, query))
    pair = query.casefold()
    if not pair.isalnum():  # a pair with a sign in it: not in ``bigrams``, scanned (rare)
        return qs.filter(search_text__icontains=query)
    if pg:
        return qs.extra(where=["string_to_array(bigrams, ' ') @> ARRAY[%s]::text[]"], params=[pair])
    return qs.filter(pk__in=_fts_rows(BIGRAM_TABLE, pair))


def normalize_query(raw: str) -> str:
    """The query as searched (spaces at the ends dropped); SearchError when it cannot be."""
    query = " ".join(str(raw or "").split())
    if len(query) > MAX_QUERY:
        raise SearchError(f"检索词过长：最多{MAX_QUERY}个字，请缩短后再查。")
    if 0 < len(query) < MIN_QUERY:
        raise SearchError(
            f"检索词“{query}”太短：请至少输入{MIN_QUERY}个字，如当事人名称中的两个字、"
            "统一社会信用代码或决定文号。"
        )
    return query


def find(
    *,
    today: dt.date,
    query: str = "",
    organ: int | None = None,
    action_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[DisclosureEntry]:
    """The entries on the public list on ``today`` that match, newest decision first.

    ``query`` (see ``normalize_query``) matches an organisation's name or credit code or the
    decision number, as a substring; a natural person is never found by name."""
    qs = DisclosureEntry.objects.filter(shown_until__gt=today)
    query = normalize_query(query)
    if query:
        code = "".join(query.split()).upper()
        if len(code) == 18 and credit_code_error(code) is None:
            qs = qs.filter(credit_code=code)
        else:
            qs = _text_filter(qs, query)
            if connection.vendor == "sqlite":
                return _text_driven(qs, organ, action_type, date_from, date_to)
    if organ:
        qs = qs.filter(organ_id=organ)
    if action_type:
        qs = qs.filter(action_type=action_type)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    return qs.order_by("-decided_on", "-matter_id")


class DisclosurePaginator(Paginator):
    """Pages of ``find``'s answer that count at most ``COUNT_CAP`` entries (``capped``: there
    are more): a count of half a million matches would cost more than the page itself."""

    cap = COUNT_CAP
    capped = False

    @property
    def count(self) -> int:
        if not hasattr(self, "_capped_count"):
            entries = cast(QuerySet[DisclosureEntry], self.object_list)
            n = entries.order_by()[: self.cap + 1].count()
            self.capped = n > self.cap
            self._capped_count = min(n, self.cap)
        return int(self._capped_count)


def page_of(entries: QuerySet[DisclosureEntry], number: str | None, per_page: int = 20) -> Any:
    """The page ``number`` of ``entries`` as the public list shows it (a Django ``Page``)."""
    return DisclosurePaginator(entries, per_page).get_page(number)


def _text_driven(
    qs: QuerySet[DisclosureEntry],
    organ: int | None,
    action_type: str,
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> QuerySet[DisclosureEntry]:
    """SQLite: the other conditions beside a text match, with the unary ``+`` that keeps the
    planner from scanning the organ, type or date index instead of the few rows the text
    index found (it cannot tell how few: 115 ms → 50 ms p95 for a name and an organ)."""
    where, params = [], []
    for column, op, value in (
        ("organ_id", "=", organ),
        ("action_type", "=", action_type),
        ("decided_on", ">=", date_from),
        ("decided_on", "<=", date_to),
    ):
        if value:
            where.append(f'+"{column}" {op} %s')  # unqualified: also inside a subquery
            params.append(value.isoformat() if isinstance(value, dt.date) else value)
    if where:
        qs = qs.extra(where=where, params=params)  # noqa: S610 - constant SQL, values as params  # nosec B610
    return qs.order_by("-decided_on", "-matter_id")


def organs_shown(today: dt.date) -> Exists:
    """The organs that have decisions on the list (for the search form's choice): a probe of
    the organ index per unit, not a scan of the list."""
    return Exists(DisclosureEntry.objects.filter(organ_id=OuterRef("pk"), shown_until__gt=today))


def matters_of(entries: Iterable[DisclosureEntry]) -> list[Matter]:
    """The decisions of ``entries``, in their order, with what the public page shows of them."""

    ids = [e.matter_id for e in entries]
    by_id = {m.pk: m for m in with_public_steps(Matter.objects.filter(pk__in=ids))}
    load_people(by_id.values())  # the people each records, for the masking: one go for all
    return [by_id[i] for i in ids if i in by_id]
