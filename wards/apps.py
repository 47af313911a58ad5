from django.apps import AppConfig


class WardsConfig(AppConfig):
    name = "wards"
    verbose_name = "Council, wards and villages"

    def ready(self):
        from wards import receivers  # noqa: F401  (connects the statistics jobs to contacts_recorded)
