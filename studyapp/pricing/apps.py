from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "studyapp.pricing"
    label = "pricing"
    verbose_name = "Pricing calculators"
