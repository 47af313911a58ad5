from django.db import models


class DemoLoad(models.Model):
    """The demo council's last complete build, so `load_demo` can skip a register it already holds.

    Written at the end of a build that finished; `fingerprint` covers the seed, the electors asked for and
    the demo's own code, so a new seed, a new size or changed demo data builds again.
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    seed = models.IntegerField()
    electors = models.PositiveIntegerField()
    voters = models.PositiveIntegerField(help_text="Electors on the register when the build finished.")
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"demo council, seed {self.seed}, {self.electors:,} electors"
