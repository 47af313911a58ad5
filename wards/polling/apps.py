from django.apps import AppConfig


class PollingConfig(AppConfig):
    name = "wards.polling"
    label = "polling"
    verbose_name = "Polling day"
    default_auto_field = "django.db.models.BigAutoField"
