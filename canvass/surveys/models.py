from django.conf import settings
from django.db import models
from django.db.models import Q


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    SINGLE = "single", "One of several choices"
    MULTIPLE = "multiple", "Several choices"
    NUMBER = "number", "A number"
    TEXT = "text", "A short text"


YES_NO_CHOICES = ["Yes", "No"]
TEXT_LENGTH = 200


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from canvass.scoping import is_organising

        if not is_organising(user):
            return self.none()
        from wards.models import Ward

        councils = Ward.objects.visible_to(user).values("council_id")
        return self.filter(council_id__in=councils)


class Question(models.Model):
    """A survey question of the council's campaign, asked at the door after "Spoke".

    What a voter is asked (wording, choices, range) lives in versions: editing it once answers exist makes
    a new version, so old answers keep the wording they were given to. The kind never changes once answered.
    """

    council = models.ForeignKey("wards.Council", on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="Asked in this order, lowest first.")
    wards = models.ManyToManyField(
        "wards.Ward", blank=True, related_name="+", help_text="Only in these wards; none chosen: every ward."
    )
    starts_on = models.DateField(null=True, blank=True, help_text="Asked from this day (inclusive).")
    ends_on = models.DateField(null=True, blank=True, help_text="Asked until this day (inclusive).")
    segments = models.JSONField(
        default=list, blank=True, help_text="Only of voters on these target segments; empty: every voter."
    )
    is_active = models.BooleanField(default=True, help_text="Untick to stop asking it; its answers are kept.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["council", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="question_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        current = self.versions.order_by("-number").first()
        return current.wording if current else f"Question {self.pk}"


class QuestionVersion(models.Model):
    """The wording (and choices, range) of a question as it was asked from `created_at`."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    wording = models.CharField(max_length=300)
    choices = models.JSONField(default=list, blank=True, help_text="The choices, for yes/no and choice questions.")
    min_value = models.IntegerField(null=True, blank=True)
    max_value = models.IntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_once"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="question_range_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wording} (v{self.number})"


class Answer(models.Model):
    """One voter's answer to one version of a question, part of a contact record.

    A multiple-choice answer is one row per choice ticked, so counts and shares are plain GROUP BYs.
    """

    contact = models.ForeignKey("canvass.ContactRecord", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=120, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.CharField(max_length=TEXT_LENGTH, blank=True)

    class Meta:
        ordering = ["contact", "question", "choice"]
        indexes = [models.Index(fields=["question", "choice"], name="answer_question_choice_idx")]
        constraints = [
            # A replayed or raced sync stores each answer once.
            models.UniqueConstraint(fields=["contact", "version", "choice"], name="answer_once_per_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.value}"

    @property
    def value(self):
        if self.number is not None:
            return self.number
        return self.choice or self.text


class Script(models.Model):
    """A few lines for the volunteer to say, shown at the top of every door: the campaign's or one list's."""

    council = models.OneToOneField(
        "wards.Council", on_delete=models.CASCADE, null=True, blank=True, related_name="script"
    )
    walk_list = models.OneToOneField(
        "canvass.WalkList", on_delete=models.CASCADE, null=True, blank=True, related_name="script"
    )
    text = models.TextField(max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(council__isnull=False, walk_list__isnull=True)
                | Q(council__isnull=True, walk_list__isnull=False),
                name="script_for_campaign_or_list",
            ),
        ]

    def __str__(self) -> str:
        return f"Script for {self.council or self.walk_list}"
