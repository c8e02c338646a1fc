"""Move every change that waited for review out of the items' history tables into `Change`, and back.

Until now a change to a published item's medical text was a row in the item's history marked with a
review state (waiting, scheduled, approved, discarded). Each such row becomes one `Change` with the
same author, time, note, state and schedule, and the medical text it proposed; a send-back that named
the row names the change. Going back, each change becomes a history row again: the saved version it
was made from, with its proposed text, author, time, note and state. No row is lost either way.

The medical fields and titles are written out here as they are at this migration, not read from the
models, so the migration means the same thing later.
"""

from django.conf import settings
from django.db import migrations

# The models whose medical text passed sign-off at this migration, with REVIEWED_FIELDS as they were.
REVIEWED = {
    ("causes", "source"): ("title", "publisher", "url", "evidence"),
    ("causes", "remedy"): ("title", "summary", "body", "caution"),
    ("causes", "cause"): ("title", "category", "summary", "body", "self_care", "urgency"),
    ("causes", "faq"): ("question", "answer"),
    ("causes", "warningsign"): ("text", "level", "action"),
    ("causes", "sitepage"): ("title", "summary", "lead", "body"),
    ("causes", "urgencywording"): ("heading", "card_heading", "advice", "where", "title_prefix", "insist"),
    ("glossary", "glossaryterm"): ("term", "also", "meaning"),
    ("search", "synonym"): ("phrase", "means"),
}
# Every other model with a history: none of them ever had a change waiting, and the migration checks it.
UNREVIEWED = [("questionnaire", "question"), ("questionnaire", "option"), ("questionnaire", "optionweight")]

TITLES = {  # how each item was named (its __str__ at this migration)
    "source": lambda row: f"{row.title} ({row.publisher})",
    "faq": lambda row: row.question,
    "warningsign": lambda row: row.text,
    "sitepage": lambda row: "Home page" if row.slug == "home" else row.title,
    "urgencywording": lambda row: f"{row.level} wording",
    "glossaryterm": lambda row: row.term,
    "synonym": lambda row: f"{row.phrase} → {row.means}",
}
REASONS = {  # the reason a history row gets when it comes back from a change with no note
    "waiting": "Waiting for clinical review: not live yet.",
    "scheduled": "Approved to go live at a set time.",
    "approved": "Approved and made live.",
    "discarded": "Discarded: never live.",
}


def _history(apps, app_label: str, model_name: str):
    return apps.get_model(app_label, f"historical{model_name}")


def forward(apps, schema_editor):
    Change = apps.get_model("editorial", "Change")
    SendBack = apps.get_model("editorial", "SendBack")
    ContentType = apps.get_model("contenttypes", "ContentType")
    users = set(apps.get_model(settings.AUTH_USER_MODEL).objects.values_list("pk", flat=True))
    for app_label, model_name in UNREVIEWED:
        if _history(apps, app_label, model_name).objects.exclude(review="").exists():
            raise RuntimeError(f"{app_label}.{model_name} has a change waiting for review; it has no medical text.")
    for (app_label, model_name), fields in REVIEWED.items():
        history = _history(apps, app_label, model_name)
        rows = history.objects.exclude(review="").order_by("history_date", "history_id")
        if not rows.exists():
            continue
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        title = TITLES.get(model_name, lambda row: row.title)
        for row in rows:
            scheduled_by = row.scheduled_by_id if row.scheduled_by_id in users else None
            change = Change.objects.create(
                content_type=content_type,
                object_id=str(row.id),
                title=str(title(row))[:300],
                text={name: getattr(row, name) for name in fields},
                author_id=row.history_user_id if row.history_user_id in users else None,
                note=row.history_change_reason or "",
                state=row.review,
                goes_live_at=row.goes_live_at,
                scheduled_by_id=scheduled_by,
                decided_by_id=scheduled_by,
            )
            Change.objects.filter(pk=change.pk).update(created=row.history_date)  # `created` is set on add
            SendBack.objects.filter(content_type=content_type, history_id=row.history_id).update(
                change=change, history_id=None
            )
            history.objects.filter(history_id=row.history_id).delete()
    if SendBack.objects.filter(change__isnull=True).exists():
        raise RuntimeError("A change sent back names no change that waited for review.")


def backward(apps, schema_editor):
    Change = apps.get_model("editorial", "Change")
    SendBack = apps.get_model("editorial", "SendBack")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model_name), fields in REVIEWED.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model_name).first()
        if content_type is None:
            continue
        history = _history(apps, app_label, model_name)
        for change in Change.objects.filter(content_type=content_type).order_by("created", "pk"):
            saved = history.objects.filter(id=change.object_id, review="")
            base = (
                saved.filter(history_date__lte=change.created).order_by("-history_date", "-history_id").first()
                or saved.order_by("history_date", "history_id").first()
            )
            if base is None:
                raise RuntimeError(f"{app_label}.{model_name} {change.object_id} has a change but no saved version.")
            values = {field.attname: getattr(base, field.attname) for field in history._meta.concrete_fields}
            values.pop("history_id")
            values.update(
                {name: value for name, value in change.text.items() if name in fields},
                history_date=change.created,
                history_type="~",
                history_user_id=change.author_id,
                history_change_reason=change.note or REASONS[change.state],
                approval=False,
                review=change.state,
                goes_live_at=change.goes_live_at,
                scheduled_by_id=change.scheduled_by_id,
            )
            row = history.objects.create(**values)
            SendBack.objects.filter(change=change).update(history_id=row.history_id, change=None)
            change.delete()
    if Change.objects.exists():
        raise RuntimeError("A change names an item with no history to go back to.")


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_changes_apart_from_history"),
        ("causes", "0023_source_accessed_may_be_empty"),
        ("glossary", "0001_glossary_terms_move_to_their_app"),
        ("search", "0001_synonyms_move_to_search"),
        ("questionnaire", "0011_question_asked_if"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forward, backward)]
