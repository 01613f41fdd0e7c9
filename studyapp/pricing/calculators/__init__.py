"""Pure calculators: inputs and a price table in, an :class:`~studyapp.pricing.money.Estimate` out.
No Django; money is Decimal; prices come only from the tables in content/pricing/."""
