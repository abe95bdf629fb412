from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.toolbox"
    label = "toolbox"
