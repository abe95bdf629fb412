from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.tasks"
    label = "tasks"
