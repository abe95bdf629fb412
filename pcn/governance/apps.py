from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.governance"
    label = "governance"
