from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.simulator"
    label = "simulator"
