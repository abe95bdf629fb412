from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.accounts"
    label = "accounts"
