from django.apps import AppConfig


class CanvassConfig(AppConfig):
    name = "canvass"
    verbose_name = "Canvass: voters and contacts"
