from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.funding"
    label = "funding"
