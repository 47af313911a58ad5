import factory

from canvass.models import WalkList
from tests.factories import UserFactory, WardFactory


class WalkListFactory(factory.django.DjangoModelFactory):
    """A walk list; pass `households=[...]` to put doors on it in that order."""

    class Meta:
        model = WalkList
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
