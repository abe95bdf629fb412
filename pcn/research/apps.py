from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.research"
    label = "research"
