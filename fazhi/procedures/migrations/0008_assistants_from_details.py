"""Assisting units added before ``MatterAssistant`` existed: one row per ``add_assistant`` step
(their ids were kept only in the matter's ``details["_assistants"]``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    step_model = apps.get_model("procedures", "Step")
    assistant_model = apps.get_model("procedures", "MatterAssistant")
    rows = {}
    for step in step_model.objects.filter(action="add_assistant").order_by("matter_id", "seq"):
        org = step.data.get("org")
        if org in (None, ""):
            continue
        key = (step.matter_id, int(org))
        if key not in rows:
            rows[key] = assistant_model(
                matter_id=step.matter_id, org_id=int(org), added_on=step.on, step_id=step.pk
            )
    assistant_model.objects.bulk_create(rows.values(), batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("procedures", "0007_links_and_assistants")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
