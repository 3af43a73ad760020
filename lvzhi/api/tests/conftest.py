import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Every test logs in through the token endpoint; hashing strength is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
