"""Drop the single-column indexes of three foreign keys that other indexes serve (bulk import:
fewer index updates a row), and index Step.actor only where it is set.

- Matter.org: ``matter_org_cohort`` (org, procedure, received_on) starts with it;
- Step.matter: the unique ``step_unique_seq`` (matter, seq) starts with it;
- Step.actor: imported, public and system steps have none; ``step_actor`` is partial.

The indexes are dropped by name rather than through ``AlterField``, which on SQLite would copy
the whole table to change ``db_index``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FOREIGN_KEYS = (("matter", "org"), ("step", "matter"), ("step", "actor"))


def drop_indexes(apps, schema_editor):
    for model_name, field_name in FOREIGN_KEYS:
        model = apps.get_model("procedures", model_name)
        column = model._meta.get_field(field_name).column
        for name in schema_editor._constraint_names(
            model, [column], index=True, type_=models.Index.suffix
        ):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore_indexes(apps, schema_editor):
    for model_name, field_name in FOREIGN_KEYS:
        model = apps.get_model("procedures", model_name)
        field = model._meta.get_field(field_name)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_auditevent_append_only"),
        ("procedures", "0003_queue_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="matter",
                    name="org",
                    field=models.ForeignKey(
                        db_index=False,
                        help_text="当前承办（主办）机构；决定谁能看到和办理。",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="matters",
                        to="core.orgunit",
                        verbose_name="承办机构",
                    ),
                ),
                migrations.AlterField(
                    model_name="step",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="操作的工作人员；公众或系统操作时为空。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                migrations.AlterField(
                    model_name="step",
                    name="matter",
                    field=models.ForeignKey(
                        db_index=False,
                        help_text="所属事项。",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="steps",
                        to="procedures.matter",
                        verbose_name="事项",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="step",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)), fields=["actor"], name="step_actor"
            ),
        ),
    ]
