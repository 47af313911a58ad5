import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from canvass.api.views.contacts import sync_items
from canvass.models import ContactRecord


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_batch_synced_twice_at_once_is_stored_once(vera, veras_list, popley_voters):
    when = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    batch = [
        {"client_uuid": str(uuid.uuid4()), "voter": voter.pk, "contacted_at": when, "outcome": "spoke"}
        for voter in popley_voters[:2]
    ] * 10
    answers, start = [], threading.Barrier(4)

    def phone():
        start.wait()
        try:
            answers.append([r.as_dict() for r in sync_items(vera, batch)])
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4
    assert all(answer == answers[0] for answer in answers)
    assert {r["status"] for r in answers[0]} == {"ok"}
    assert ContactRecord.objects.count() == 2
