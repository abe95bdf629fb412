from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.api"
    label = "api"
