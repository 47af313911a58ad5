from django.db import models
from django.db.models import Q

from canvass.franchise import (
    Franchise,
    franchise_for_markers,
)
from canvass.register.names import name_key


class HouseholdQuerySet(models.QuerySet):
    def in_ward(self, ward):
        return self.filter(polling_district__ward=ward)

    def visible_to(self, user):
        from canvass.scoping import households_visible_to

        return households_visible_to(self, user)

    def in_walking_order(self):
        """Street, then the odd side, then the even side, each in house-number order."""
        return self.order_by(
            "street",
            models.F("house_number_parity").desc(nulls_last=True),
            "house_number",
            "address",
        )


class Household(models.Model):
    """One address on the register; the door a volunteer knocks."""

    # Indexed by the walking-order and unique-address indexes, which both lead with it.
    polling_district = models.ForeignKey(
        "wards.PollingDistrict", on_delete=models.PROTECT, related_name="households", db_index=False
    )
    village = models.ForeignKey(
        "wards.Village", on_delete=models.SET_NULL, null=True, blank=True, related_name="households"
    )
    address = models.TextField(help_text="Address lines as on the register, one per line.")
    postcode = models.CharField(max_length=10, blank=True)
    street = models.CharField(max_length=120, blank=True)
    house_number = models.PositiveIntegerField(null=True, blank=True)
    # 1 for odd, 0 for even, null without a number: walking order takes one side of the street at a time.
    house_number_parity = models.GeneratedField(
        expression=models.F("house_number") % 2, output_field=models.PositiveSmallIntegerField(), db_persist=True
    )
    address_key = models.CharField(
        max_length=255, help_text="Normalised address and postcode, for matching on re-import."
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["street", "house_number", "address"]
        indexes = [
            models.Index(fields=["polling_district", "street", "house_number"], name="household_walk_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["polling_district", "address_key"], name="household_unique_address"),
        ]

    def __str__(self) -> str:
        return self.address.splitlines()[0] if self.address else f"Household {self.pk}"


class VoterQuerySet(models.QuerySet):
    def visible_to(self, user):
        from canvass.scoping import voters_visible_to

        return voters_visible_to(self, user)

    def on_register(self):
        return self.filter(on_register=True)

    def contactable(self):
        """Voters who have not objected to being contacted (do-not-contact): every list and export uses this."""
        return self.filter(do_not_contact=False)

    def council_electors(self):
        """Electors on the register who may vote in a council election (`canvass.rules.COUNCIL_ELECTOR`)."""
        from canvass.rules import COUNCIL_ELECTOR

        return self.filter(COUNCIL_ELECTOR.q())

    def westminster_electors(self):
        """Electors on the register who may vote at a general election (`canvass.rules.PARLIAMENTARY_ELECTOR`)."""
        from canvass.rules import PARLIAMENTARY_ELECTOR

        return self.filter(PARLIAMENTARY_ELECTOR.q())


def elector_reference(district_code: str, number: int, suffix: int) -> str:
    """An elector's reference as the register writes it: `AB1-124`, or `AB1-124/1` with a suffix (for rows
    read as values, without a Voter)."""
    base = f"{district_code}-{number}"
    return f"{base}/{suffix}" if suffix else base


class Voter(models.Model):
    """An elector on (or once on) the register."""

    polling_district = models.ForeignKey("wards.PollingDistrict", on_delete=models.PROTECT, related_name="voters")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="voters")
    elector_number = models.PositiveIntegerField()
    elector_suffix = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=20, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    forenames = models.CharField(max_length=150, blank=True)
    markers = models.CharField(max_length=10, blank=True, help_text="Franchise markers from the register.")
    attainer_date = models.DateField("date of attainment", null=True, blank=True)
    is_postal_voter = models.BooleanField(default=False)
    is_proxy_voter = models.BooleanField(default=False)
    do_not_contact = models.BooleanField(default=False, help_text="The voter asked us not to contact them.")
    do_not_contact_since = models.DateTimeField(null=True, blank=True)
    on_register = models.BooleanField(default=True)
    left_register_on = models.DateField(null=True, blank=True)
    # The name normalised for matching (`canvass.register.names`): what the next register pairs this voter by,
    # stored so that pairing is a join. Kept in step with the name by `save` and by the register import.
    name_key = models.CharField(max_length=250, blank=True, editable=False)

    objects = VoterQuerySet.as_manager()

    class Meta:
        ordering = ["polling_district", "elector_number", "elector_suffix"]
        constraints = [
            # Numbers are reused after the annual renumbering, so only current electors must be unique.
            models.UniqueConstraint(
                fields=["polling_district", "elector_number", "elector_suffix"],
                condition=Q(on_register=True),
                name="voter_unique_reference_on_register",
            ),
        ]
        indexes = [
            # The few voters kept off the target lists since they were built (asked for no contact, or left the
            # register), by district: the ward dashboard's segment counts take them off without reading every
            # voter on the lists (`wards.dashboards.segment_counts`).
            models.Index(
                fields=["polling_district"],
                condition=Q(do_not_contact=True) | Q(on_register=False),
                name="voter_off_the_lists_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        self.name_key = name_key(self.surname, self.forenames)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"surname", "forenames"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """The elector's reference as the register writes it: `AB1-124`, or `AB1-124/1` with a suffix."""
        return elector_reference(self.polling_district.code, self.elector_number, self.elector_suffix)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.forenames, self.surname) if part)

    @property
    def franchise(self) -> Franchise:
        return franchise_for_markers(self.markers)

    @property
    def can_vote_in_council_election(self) -> bool:
        """On the register with a council vote (`canvass.rules.COUNCIL_ELECTOR`)."""
        from canvass.rules import COUNCIL_ELECTOR

        return COUNCIL_ELECTOR.holds(self)
