import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from canvass.models import ContactRecord, Household, Outcome, Profile, RegisterImport, Role, Voter
from wards.models import Council, Party, PollingDistrict, Village, Ward, Zone


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("name",)

    name = "Basingstoke and Deane"
    ons_code = "E07000084"
    total_seats = 54


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda party: f"Party {party.code}")
    colour = "#777777"
    is_ours = False


class OurPartyFactory(PartyFactory):
    code = "LAB"
    name = "Labour"
    colour = "#dc241f"
    is_ours = True


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")
    seats = 3
    zone = Zone.NORTH
    seats_up = 1


class PollingDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingDistrict

    ward = factory.SubFactory(WardFactory)
    code = factory.Sequence(lambda n: f"Z{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    ward = factory.SubFactory(WardFactory)
    name = factory.Sequence(lambda n: f"Village {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    polling_district = factory.SubFactory(PollingDistrictFactory)
    street = "Church Street"
    house_number = factory.Sequence(lambda n: n + 1)
    postcode = "RG21 7AB"
    address = factory.LazyAttribute(lambda h: f"{h.house_number} {h.street}\nBasingstoke")
    address_key = factory.LazyAttribute(lambda h: f"{h.house_number} {h.street.upper()}|{h.postcode}")


class VoterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voter

    household = factory.SubFactory(HouseholdFactory)
    polling_district = factory.SelfAttribute("household.polling_district")
    elector_number = factory.Sequence(lambda n: n + 1)
    surname = factory.Faker("last_name", locale="en_GB")
    forenames = factory.Faker("first_name", locale="en_GB")


class ContactRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRecord

    voter = factory.SubFactory(VoterFactory)
    household = factory.SelfAttribute("voter.household")
    ward = factory.SelfAttribute("voter.polling_district.ward")
    contacted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    outcome = Outcome.SPOKE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("doorstep-pass-1")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.VOLUNTEER

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        if create and extracted:
            self.wards.set(extracted)


class RegisterImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisterImport

    council = factory.SubFactory(CouncilFactory)
    file_name = "register.csv"
    file_data = b"Elector Number Prefix,Elector Number\n"


class WalkListFactory(factory.django.DjangoModelFactory):
    """A walk list; pass `households=[...]` to put doors on it in that order."""

    class Meta:
        model = "canvass.WalkList"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Round {n}")
    ward = factory.SubFactory(WardFactory)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def households(self, create, extracted, **kwargs):
        if create and extracted:
            for position, household in enumerate(extracted, start=1):
                self.stops.create(household=household, position=position)

    @factory.post_generation
    def assigned_to(self, create, extracted, **kwargs):
        if create and extracted:
            self.assigned_to.set(extracted)


class ElectionFactory(factory.django.DjangoModelFactory):
    """A borough election (all out) of the council, on the first Thursday of May 2027 unless told."""

    class Meta:
        model = "wards.Election"

    council = factory.SubFactory(CouncilFactory)
    date = dt.date(2027, 5, 6)
    kind = "all_out"
