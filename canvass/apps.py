from django.apps import AppConfig


class CanvassConfig(AppConfig):
    name = "canvass"
    verbose_name = "Canvass: voters and contacts"

    def ready(self):
        from canvass import admin_audit  # noqa: F401  (registers the audit trail's admin)
