from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.receipts"
    label = "receipts"
