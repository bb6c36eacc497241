"""Clocks for the matters stored before clocks existed: each matter's clocks computed from its
steps by the same pure function ``act()`` and the import use (procedures.clocks.clocks_of)."""

from django.db import migrations

CHUNK = 2000


def backfill(apps, schema_editor):
    from fazhi.procedures import clocks as clock_rules
    from fazhi.procedures import rules
    from fazhi.procedures.declarations import _REGISTRY
    from fazhi.workdays import Calendar

    Matter = apps.get_model("procedures", "Matter")
    Step = apps.get_model("procedures", "Step")
    Clock = apps.get_model("procedures", "Clock")
    if not Matter.objects.exists():  # a new database (the demo builds through the import)
        return
    cal = Calendar.default()
    last = 0
    while True:
        matters = list(Matter.objects.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not matters:
            return
        last = matters[-1].pk
        steps = {}
        for s in Step.objects.filter(matter_id__in=[m.pk for m in matters]).order_by(
            "matter_id", "seq"
        ):
            steps.setdefault(s.matter_id, []).append(s)
        rows = []
        for m in matters:
            procedure = _REGISTRY.get(m.procedure)
            if procedure is None:  # a procedure no longer declared: nothing to compute
                continue
            snap = rules.MatterSnapshot(
                procedure=procedure,
                state=m.state,
                received_on=m.received_on,
                details=dict(m.details),
                steps=tuple(
                    rules.StepRecord(s.action, s.on, s.data, s.occurred_at)
                    for s in steps.get(m.pk, [])
                ),
                outcome=m.outcome,
                satisfaction=m.satisfaction,
                closed_on=m.closed_on,
            )
            for c in clock_rules.clocks_of(snap, cal):
                rows.append(
                    Clock(
                        matter_id=m.pk,
                        seq=c.seq,
                        limit=c.limit,
                        label=c.label[:100],
                        minimum=c.minimum,
                        started_on=c.started_on,
                        started_at=c.started_at,
                        due_on=c.due_on,
                        due_at=c.due_at,
                        basis=c.basis,
                        provisional=c.provisional,
                        paused=c.paused,
                        answered_on=c.answered_on,
                        answered_at=c.answered_at,
                        answered_action=c.answered_action,
                        in_time=c.in_time,
                    )
                )
        Clock.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0013_clocks"), ("workdays", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
