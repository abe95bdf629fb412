from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.markets"
    label = "markets"
