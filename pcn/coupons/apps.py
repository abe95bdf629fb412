from django.apps import AppConfig


class Config(AppConfig):
    name = "pcn.coupons"
    label = "coupons"
