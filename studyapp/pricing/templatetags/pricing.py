from decimal import Decimal

from django import template

from studyapp.pricing.money import money

register = template.Library()


@register.filter
def usd(amount: Decimal) -> str:
    """$1,234.56, as the formulas write amounts."""
    return money(amount)
