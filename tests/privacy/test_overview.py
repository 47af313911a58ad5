from canvass.privacy.services.access import subject_access_produce
from canvass.privacy.services.erasure import voter_erase
from canvass.privacy.services.objections import objections_record
from canvass.services.audit import audit_record


def test_overview_shows_what_is_held_and_recent_requests(client, people, alice, vera, django_assert_max_num_queries):
    subject_access_produce(voter=people["bob"], by=alice, format="page")
    voter_erase(voter=people["ann"], by=alice, confirmation="AB1-1")
    objections_record(voter_ids=[people["cath"].pk], by=vera)
    audit_record(user=alice, action="export", resource="target_list", object_ids=[1, 2])
    client.force_login(alice)

    with django_assert_max_num_queries(25):
        page = client.get("/admin/privacy/").content.decode()

    assert "Electors on the register</td><td>3" in page
    assert f"Voter {people['bob'].pk}, Readable page, by alice" in page
    assert f"Voter {people['ann'].pk}, by alice" in page
    assert f"Voter {people['cath'].pk}, Marked at the door by a volunteer, by vera" in page
    assert '<p id="exports-this-month">2</p>' in page  # the subject-access export and the target list


def test_overview_shows_the_retention_state(client, alice, db):
    client.force_login(alice)

    page = client.get("/admin/privacy/").content.decode()

    assert "Last purge: never" in page and "Dry run" in page
