"""Signing in to a community (Qt-free)."""
