"""The audit log's hash chain (fazhi.core.audit_chain): each row's place ``seq``, the previous
row's hash and its own; existing rows are chained in the order they were written (``id``).

The UPDATE guard of 0002 is lifted for the backfill and put back in 0005 (which also makes
``seq`` unique: on SQLite that rebuilds the table, dropping its triggers).
"""

from django.db import migrations, models

from fazhi.core import audit_chain
from fazhi.core.migrations import _audit_guard

DROP_SQLITE = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"
DROP_PG = "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;"


def lift_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(DROP_SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(DROP_PG)


def backfill(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    db = schema_editor.connection.alias
    prev, seq, batch = "", 0, []
    for row in AuditEvent.objects.using(db).order_by("pk").iterator(chunk_size=2000):
        seq += 1
        row.seq, row.prev_hash = seq, prev
        row.row_hash = audit_chain.row_hash(prev, audit_chain.values_of(row))
        prev = row.row_hash
        batch.append(row)
        if len(batch) >= 1000:
            AuditEvent.objects.using(db).bulk_update(batch, ["seq", "prev_hash", "row_hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(db).bulk_update(batch, ["seq", "prev_hash", "row_hash"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_job")]

    operations = [
        migrations.RunPython(lift_guard, _audit_guard.forwards, elidable=False),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True,
                default="",
                help_text="前一条记录的哈希（第一条为空）。",
                max_length=64,
                verbose_name="前一条哈希",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                default="",
                help_text="前一条哈希与本条内容的SHA-256（fazhi audit verify 校验）。",
                max_length=64,
                verbose_name="哈希",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, _audit_guard.backwards, elidable=False),
    ]
