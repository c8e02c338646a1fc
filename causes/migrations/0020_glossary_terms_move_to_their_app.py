"""Glossary terms move to the glossary app (issue 18): state only, so no table is rebuilt and no row lost.

The tables keep their names (glossary/models.py sets them); glossary's 0001 takes the model over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("causes", "0019_site_pages_and_wording_get_scheduled_changes_and_no_draft_review_date"),
        ("glossary", "0001_glossary_terms_move_to_their_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="GlossaryTerm"),
                migrations.DeleteModel(name="HistoricalGlossaryTerm"),
            ],
        ),
    ]
