from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.reports"
    label = "reports"
