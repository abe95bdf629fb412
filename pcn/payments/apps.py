from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.payments"
    label = "payments"
