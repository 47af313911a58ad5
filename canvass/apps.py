from django.apps import AppConfig


class CanvassConfig(AppConfig):
    name = "canvass"
    verbose_name = "Canvass: voters and contacts"

    def ready(self):
        # The register import's and the audit trail's admin live in their own modules (the import's Celery
        # tasks are found by autodiscovery: canvass/config/celery.py).
        from canvass import admin_audit, admin_register, admin_residents  # noqa: F401
        from canvass.services import tokens  # noqa: F401  (web logout revokes API tokens)
        from canvass.surveys import admin as surveys_admin  # noqa: F401
