"""ISO 4217 currency codes from pycountry's maintained copy of the standard."""

from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def currency_codes():
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def validate_currency(value):
    if value not in currency_codes():
        raise ValidationError(f"`{value}` is not an ISO 4217 currency code.", code="invalid_currency")
