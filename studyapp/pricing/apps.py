from django.apps import AppConfig


class PricingConfig(AppConfig):
    name = "studyapp.pricing"
    label = "pricing"
    verbose_name = "Pricing calculators"

    def ready(self) -> None:
        # Content sits below pricing and must not import it: pricing hands content the renderer
        # for the calculator placeholders in notes instead.
        from studyapp.content.embeds import register_embed

        from .embedding import render_calculator

        register_embed("calculator", render_calculator)
