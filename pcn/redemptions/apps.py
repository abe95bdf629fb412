from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.redemptions"
    label = "redemptions"
