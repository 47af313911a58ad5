"""Copy each ward's last result (party votes only) into the election history: nothing is lost.

A ward with a date for its last election gets a contest in that borough election (by thirds when
fewer seats were up than the ward has, else all out), with the ballots it recorded and one
candidate per party, named after the party since the old rows had no names. WardResult stays, as
the last comparable result derived from the history (see wards/elections/services.py).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Ward = apps.get_model("wards", "Ward")
    WardResult = apps.get_model("wards", "WardResult")
    Election = apps.get_model("wards", "Election")
    Contest = apps.get_model("wards", "Contest")
    Candidate = apps.get_model("wards", "Candidate")
    for ward in Ward.objects.filter(last_election_date__isnull=False).order_by("id"):
        results = list(WardResult.objects.filter(ward=ward).select_related("party").order_by("-votes"))
        if not results and not ward.last_turnout_votes:
            continue
        kind = "thirds" if ward.seats_up < ward.seats else "all_out"
        election, _ = Election.objects.get_or_create(council_id=ward.council_id, date=ward.last_election_date, kind=kind)
        contest, created = Contest.objects.get_or_create(
            election=election,
            ward=ward,
            defaults={"seats_contested": ward.seats_up or 1, "ballots_issued": ward.last_turnout_votes},
        )
        if created:
            Candidate.objects.bulk_create(
                Candidate(contest=contest, name=f"{row.party.name} candidate", party=row.party, votes=row.votes)
                for row in results
            )


class Migration(migrations.Migration):
    dependencies = [("wards", "0008_elections_results")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
