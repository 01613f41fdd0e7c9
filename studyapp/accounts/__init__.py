"""Accounts: the custom User (from the first migration), roles, sign-up and profile."""
