from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.documents"
    label = "documents"
