"""The questionnaire's models now belong to the questionnaire app (its 0001 takes them over).

State only: the tables and rows stay where they are.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('causes', '0002_questionnaire'),
        ('questionnaire', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='OptionWeight'),
                migrations.DeleteModel(name='Option'),
                migrations.DeleteModel(name='Question'),
            ],
            database_operations=[],
        ),
    ]
