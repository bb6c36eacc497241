"""``seq`` unique and required (no two rows at one place: the chain cannot fork), and the
UPDATE guard of 0002 back in place (SQLite's table rebuild for the constraint drops it)."""

from django.db import migrations, models

from fazhi.core.migrations import _audit_guard


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_chain")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                help_text="在审计链中的位置，从1起连续。", unique=True, verbose_name="序号"
            ),
        ),
        migrations.RunPython(_audit_guard.forwards, _audit_guard.backwards, elidable=False),
    ]
