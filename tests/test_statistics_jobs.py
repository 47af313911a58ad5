import threading
import time
from unittest import mock

import pytest
from celery.signals import worker_ready
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from canvass.config.celery import app
from canvass.models import Intention
from canvass.signals import contacts_recorded
from tests.factories import OurPartyFactory, WardFactory
from tests.wards_data import district, spoke, voter
from wards import tasks
from wards.models import AreaStatistics, ContactRateSample, TargetListEntry
from wards.services import targets as targets_service


@pytest.fixture
def popley(db):
    OurPartyFactory()
    ward = WardFactory(name="Popley")
    ab1 = district(ward, "AB1")
    spoke(voter(ab1, number=1), local=Intention.UNDECIDED)
    spoke(voter(ab1, number=3), likelihood=5)
    return ward


@pytest.fixture
def no_pending_recomputes(popley):
    """The pending keys live in the shared cache (Redis in CI), so start each test without them."""
    keys = [tasks.pending_key(ward_id) for ward_id in range(popley.id - 5, popley.id + 10)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def test_a_burst_of_syncs_for_one_ward_costs_one_recompute(
    popley, no_pending_recomputes, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.recompute_ward, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(5):
            contacts_recorded.send(sender=None, ward_ids=[popley.id])
    apply_async.assert_called_once_with((popley.id,), countdown=30)


def test_syncs_for_two_wards_schedule_one_recompute_each(
    popley, no_pending_recomputes, django_capture_on_commit_callbacks
):
    other = WardFactory(name="Norden")
    with (
        mock.patch.object(tasks.recompute_ward, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        contacts_recorded.send(sender=None, ward_ids=[popley.id, other.id, popley.id])
        contacts_recorded.send(sender=None, ward_ids=[other.id])
    assert sorted(call.args[0] for call in apply_async.call_args_list) == [(popley.id,), (other.id,)]


def test_contacts_arriving_recompute_that_ward_and_the_council(
    popley, no_pending_recomputes, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contacts_recorded.send(sender=None, ward_ids=[popley.id])
    assert AreaStatistics.objects.wards().get().contacted_ever == 2
    assert AreaStatistics.objects.councils().get().electors == 2
    assert TargetListEntry.objects.filter(ward=popley).exists()


def test_after_a_recompute_the_next_sync_schedules_another(
    popley, no_pending_recomputes, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contacts_recorded.send(sender=None, ward_ids=[popley.id])
    assert tasks.recompute_ward_soon(popley.id)


def test_a_transient_database_error_is_retried(popley, eager_tasks):
    real = tasks.wards_recompute
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**kwargs)

    with mock.patch.object(tasks, "wards_recompute", flaky):
        tasks.recompute_ward.apply((popley.id,), throw=False)
    assert len(calls) == 2
    assert AreaStatistics.objects.wards().filter(ward=popley).exists()


def test_the_periodic_job_fans_out_one_task_per_ward(popley):
    WardFactory(name="Norden")
    with mock.patch.object(tasks.recompute_ward, "delay") as delay:
        assert tasks.recompute_all_wards() == 2
    assert delay.call_count == 2


def test_the_beat_schedule_runs_the_periodic_job(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["wards-recompute-all"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"] > 0


def test_the_command_recomputes_one_ward_by_name(popley, capsys):
    WardFactory(name="Norden")
    call_command("recompute_statistics", ward="popley")
    assert list(AreaStatistics.objects.wards().values_list("ward__name", flat=True)) == ["Popley"]
    assert "Recomputed 1 ward(s)" in capsys.readouterr().out


def test_the_command_recomputes_every_ward_by_default(popley):
    WardFactory(name="Norden")
    call_command("recompute_statistics")
    assert AreaStatistics.objects.wards().count() == 2


def test_the_command_names_an_unknown_ward(popley):
    with pytest.raises(CommandError, match="'Nowhere': no ward"):
        call_command("recompute_statistics", ward="Nowhere")


@pytest.mark.postgres
def test_concurrent_recomputes_neither_fail_nor_duplicate(transactional_db):
    from wards.services import wards_recompute

    OurPartyFactory()
    wards = [WardFactory(name=name) for name in ("Popley", "Norden")]
    for n, ward in enumerate(wards):
        ab = district(ward, f"CC{n}")
        for number in range(1, 6):
            spoke(voter(ab, number=number), local=Intention.UNDECIDED)
    real_insert, errors = targets_service._insert_entries, []

    def slow_insert(*args, **kwargs):
        time.sleep(0.2)  # widen the window between deleting the old lists and writing the new
        return real_insert(*args, **kwargs)

    def run(ward_ids):
        try:
            wards_recompute(ward_ids=ward_ids)
        except Exception as error:  # noqa: BLE001  (collected for the assertion below)
            errors.append(error)
        finally:
            connection.close()

    jobs = [[wards[0].id], [wards[0].id], None, [wards[1].id], [wards[0].id]]
    with mock.patch.object(targets_service, "_insert_entries", slow_insert):
        threads = [threading.Thread(target=run, args=(ids,)) for ids in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert TargetListEntry.objects.count() == 10
    assert AreaStatistics.objects.wards().count() == 2
    assert AreaStatistics.objects.councils().count() == 1
    assert AreaStatistics.objects.zones().count() == 1
    days = ContactRateSample.objects.filter(period="day")
    assert days.count() == days.values("council", "ward", "period_start").distinct().count() == 3


@pytest.mark.postgres
@pytest.mark.celery_worker
def test_a_real_worker_recomputes_the_ward_after_contacts_arrive(celery_worker_process, settings):
    settings.WARDS_RECOMPUTE_DEBOUNCE_SECONDS = 1
    OurPartyFactory()
    ward = WardFactory(name="Popley")
    ab1 = district(ward, "AB1")
    spoke(voter(ab1, number=1), local=Intention.UNDECIDED)
    spoke(voter(ab1, number=3), likelihood=5)
    cache.delete(tasks.pending_key(ward.id))
    for _ in range(3):
        contacts_recorded.send(sender=None, ward_ids=[ward.id])
    deadline = time.monotonic() + 30
    while not AreaStatistics.objects.councils().exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    stats = AreaStatistics.objects.wards().get(ward=ward)
    assert (stats.electors, stats.contacted_ever, stats.promises, stats.undecided) == (2, 2, 1, 1)
    assert TargetListEntry.objects.filter(ward=ward, segment="persuadable").count() == 1
    assert cache.get(tasks.pending_key(ward.id)) is None


def test_a_recompute_that_cannot_be_queued_releases_its_debounce_key(
    popley, no_pending_recomputes, django_capture_on_commit_callbacks
):
    failing = mock.patch.object(tasks.recompute_ward, "apply_async", side_effect=ConnectionError("broker down"))
    with failing, pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        tasks.recompute_ward_soon(popley.id)
    assert cache.get(tasks.pending_key(popley.id)) is None


def test_a_lost_recompute_blocks_the_next_for_at_most_a_minute_past_its_countdown(popley, settings):
    with mock.patch.object(tasks.cache, "add", return_value=False) as add:
        tasks.recompute_ward_soon(popley.id)
    assert add.call_args.kwargs["timeout"] <= settings.WARDS_RECOMPUTE_DEBOUNCE_SECONDS + 60


def test_recomputes_are_acknowledged_late_and_requeued_when_a_worker_is_lost():
    for task in (tasks.recompute_ward, tasks.recompute_all_wards, tasks.recompute_wards):
        assert task.acks_late and task.reject_on_worker_lost


def test_wards_whose_figures_predate_a_contact_are_behind(popley, eager_tasks):
    tasks.recompute_ward.apply((popley.id,))
    norden = WardFactory(name="Norden")
    assert tasks.wards_with_figures_behind_contacts() == []
    spoke(voter(district(norden, "BC1"), number=1), local=Intention.UNDECIDED)  # never computed
    spoke(voter(popley.polling_districts.get(), number=5), local=Intention.UNDECIDED)
    assert tasks.wards_with_figures_behind_contacts() == [popley.id, norden.id]


def test_a_worker_starting_catches_up_the_wards_a_killed_one_left_behind(popley, no_pending_recomputes, eager_tasks):
    # The killed worker's countdown run is gone and its pending key still blocks the next syncs.
    cache.set(tasks.pending_key(popley.id), 1, 90)
    worker_ready.send(sender=None)
    assert AreaStatistics.objects.wards().get(ward=popley).contacted_ever == 2
