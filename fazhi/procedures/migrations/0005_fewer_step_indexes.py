"""Two step indexes no read uses, each a B-tree insert a step for every import (benchmarks.md).

``step_action_on``: no query looks steps up by action and date without their matter.
``Step.org``'s foreign-key index: only deleting an org unit would look steps up by unit. It is
dropped by name rather than by altering the field, which on SQLite would copy the step table.
"""

import django.db.models.deletion
from django.db import migrations, models

ORG_INDEX = "procedures_step_org_id_5b195358"  # the name Django gave it (0001_initial)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_auditevent_append_only"),
        ("procedures", "0004_fewer_index_updates"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="step",
            name="step_action_on",
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{ORG_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{ORG_INDEX}" ON "procedures_step" ("org_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="step",
                    name="org",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="操作时事项的承办机构。",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.orgunit",
                        verbose_name="操作机构",
                    ),
                ),
            ],
        ),
    ]
