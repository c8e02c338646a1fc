"""The send-back, request and e-mail setting tables come and go with their migrations."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

NEW = [("editorial", "0001_send_backs_and_requests"), ("accounts", "0001_staff_choose_whether_to_get_email")]


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True)
def test_the_new_tables_migrate_back_and_forward():
    names = {"editorial_sendback", "editorial_editorrequest", "accounts_emailchoice"}
    assert names <= _tables()
    MigrationExecutor(connection).migrate([("editorial", None), ("accounts", None)])
    assert not names & _tables()
    MigrationExecutor(connection).migrate(NEW)
    assert names <= _tables()
