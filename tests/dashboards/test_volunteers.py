"""Volunteers: the wards each canvasses, and inviting a new one with a one-time link that sets a password."""

import datetime as dt
from urllib.parse import urlparse

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from canvass.models import Invitation, Role
from canvass.models.tokens import token_digest
from tests.login import client_for


def invite(client, popley, **extra):
    data = {"first_name": "Nia", "last_name": "Okafor", "username": "nia", "wards": [popley.pk], **extra}
    return client.post(reverse("wards:volunteers"), data)


def link_path(response) -> str:
    link = urlparse(response.context["invited"]["link"])
    return f"{link.path}?{link.query}"


def test_an_organiser_invites_a_volunteer_who_canvasses_their_ward(db, olivia, popley):
    response = invite(client_for(olivia), popley)
    nia = get_user_model().objects.get(username="nia")
    assert nia.profile.role == Role.VOLUNTEER and list(nia.profile.wards.all()) == [popley]
    assert not nia.has_usable_password()
    assert response.context["invited"]["link"] in response.content.decode()


def test_the_key_is_not_stored_in_clear(db, olivia, popley):
    response = invite(client_for(olivia), popley)
    key = link_path(response).split("key=")[1]
    stored = Invitation.objects.get()
    assert stored.digest == token_digest(key) and key not in stored.digest


def test_the_link_sets_the_password_once_and_signs_the_volunteer_in(db, olivia, popley, client):
    path = link_path(invite(client_for(olivia), popley))
    new = {"new_password1": "a-long-doorstep-phrase", "new_password2": "a-long-doorstep-phrase"}
    response = client.post(path, new)
    assert response.url == reverse("doorstep-lists")
    nia = get_user_model().objects.get(username="nia")
    assert nia.check_password("a-long-doorstep-phrase")
    assert client.get(path).status_code == 410


def test_an_expired_link_sets_nothing(db, olivia, popley, client):
    path = link_path(invite(client_for(olivia), popley))
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(path, {"new_password1": "a-long-doorstep-phrase", "new_password2": "a-long-doorstep-phrase"})
    assert response.status_code == 410 and "no longer works" in response.content.decode()
    assert not get_user_model().objects.get(username="nia").has_usable_password()


def test_a_wrong_key_is_refused(db, client):
    assert client.get(reverse("invitation") + "?key=not-a-key").status_code == 410


def test_a_weak_password_is_refused_and_the_link_still_works(db, olivia, popley, client):
    path = link_path(invite(client_for(olivia), popley))
    response = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(path).status_code == 200


def test_the_invitation_is_emailed_when_email_is_configured(db, olivia, popley, settings):
    settings.INVITATION_EMAILS = True
    response = invite(client_for(olivia), popley, email="nia@example.org")
    assert response.context["invited"]["emailed"]
    (sent,) = mail.outbox
    assert sent.to == ["nia@example.org"] and response.context["invited"]["link"] in sent.body


def test_no_email_is_sent_without_an_email_backend(db, olivia, popley, settings):
    settings.INVITATION_EMAILS = False
    response = invite(client_for(olivia), popley, email="nia@example.org")
    assert not response.context["invited"]["emailed"] and not mail.outbox


def test_a_taken_username_is_refused_with_the_reason(db, olivia, popley, vera):
    response = invite(client_for(olivia), popley, username="VERA")
    assert "The username “VERA” is taken" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_organiser_cannot_give_a_ward_outside_theirs(db, olivia, popley, south_ham):
    response = invite(client_for(olivia), popley, wards=[south_ham.pk])
    assert response.context["form"].errors["wards"]
    assert not get_user_model().objects.filter(username="nia").exists()


def test_changing_wards_keeps_the_wards_of_other_organisers(db, olivia, popley, south_ham, vera):
    vera.profile.wards.set([south_ham])
    client_for(olivia).post(reverse("wards:volunteer-wards", args=[vera.pk]), {"wards": [popley.pk]})
    assert set(vera.profile.wards.all()) == {popley, south_ham}


def test_a_volunteer_cannot_invite(db, vera, popley):
    assert invite(client_for(vera), popley).status_code == 403


def test_the_volunteers_page_costs_the_same_queries_for_more_volunteers(db, olivia, popley, django_assert_num_queries):
    from tests.factories import ProfileFactory

    client = client_for(olivia)
    ProfileFactory(wards=[popley])
    # Session, user, profile; the wards for the form; the volunteers, their profiles' wards.
    with django_assert_num_queries(6):
        client.get(reverse("wards:volunteers"))
    for _ in range(5):
        ProfileFactory(wards=[popley])
    with django_assert_num_queries(6):
        client.get(reverse("wards:volunteers"))


def test_a_new_link_is_refused_for_a_volunteer_who_has_a_password(db, olivia, popley, south_ham, victor, client):
    """The link sets a new password: asked for an active volunteer (here another ward's), it would let the
    organiser sign in as them. Only someone who has not set a password yet gets one."""
    victor.profile.wards.set([south_ham])
    response = client_for(olivia).post(reverse("wards:volunteer-reinvite", args=[victor.pk]), follow=True)
    assert "has set a password already" in response.content.decode()
    assert not Invitation.objects.filter(user=victor).exists()
    victor.refresh_from_db()
    assert victor.check_password("doorstep-pass-1")


def test_a_new_link_is_made_for_a_volunteer_who_has_not_set_a_password(db, olivia, popley):
    invite(client_for(olivia), popley)
    nia = get_user_model().objects.get(username="nia")
    response = client_for(olivia).post(reverse("wards:volunteer-reinvite", args=[nia.pk]))
    assert response.status_code == 200 and response.context["invited"]["user"] == nia
    assert Invitation.objects.filter(user=nia).count() == 2
