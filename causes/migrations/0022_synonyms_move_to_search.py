"""Search synonyms move to the search app (issue 26): state only, so no table is rebuilt and no row lost.

The tables keep their names (search/models.py sets them); search's 0001 takes the model over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("causes", "0021_synonyms_pass_sign_off"),
        ("search", "0001_synonyms_move_to_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="historicalsynonym", name="history_user"),
                migrations.RemoveField(model_name="historicalsynonym", name="scheduled_by"),
                migrations.DeleteModel(name="Synonym"),
                migrations.DeleteModel(name="HistoricalSynonym"),
            ],
        ),
    ]
