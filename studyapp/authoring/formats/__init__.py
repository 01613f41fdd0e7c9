"""Pure question formats (GIFT, Aiken): text in, typed questions out. No Django imports."""
