from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.imports"
    label = "imports"
