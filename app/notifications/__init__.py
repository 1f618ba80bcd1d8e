"""Notifications: every email and SMS the platform sends (see service.py)."""
