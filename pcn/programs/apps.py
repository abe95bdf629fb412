from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.programs"
    label = "programs"
