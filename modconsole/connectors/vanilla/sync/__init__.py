"""Vanilla sync stages: small units that write a Vanilla community into the platform-neutral cache."""
