from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.households"
    label = "households"
