import pytest

import config


def test_secret_key_required_outside_development(tmp_path):
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    cfg = config.load({"APP_ENV": "production", "SECRET_KEY": "s" * 32, "INSTANCE_PATH": str(tmp_path)})
    assert cfg["STAFF_MFA_REQUIRED"] is True  # production default
    assert cfg["SESSION_COOKIE_SECURE"] is True


def test_embedded_default_with_no_environment(tmp_path):
    cfg = config.load({"INSTANCE_PATH": str(tmp_path)})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'nextgen.sqlite3'}"
    assert cfg["REDIS_URL"] is None and cfg["JOBS_INLINE"] is True
    # No cache of API representations in the process: another worker could not hear of
    # a write, and would serve stale pages.
    assert cfg["CACHE_TYPE"] == "NullCache" and cfg["RATELIMIT_STORAGE_URI"] == "memory://"
    assert cfg["STAFF_MFA_REQUIRED"] is False
    # The development secret is random per checkout, and stable across restarts.
    assert len(cfg["SECRET_KEY"]) == 64
    assert config.load({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"] == cfg["SECRET_KEY"]
    assert config.load({"INSTANCE_PATH": str(tmp_path / "other")})["SECRET_KEY"] != cfg["SECRET_KEY"]


def test_production_services_from_environment(tmp_path):
    cfg = config.load({"APP_ENV": "production", "SECRET_KEY": "k" * 32,
                       "DATABASE_URL": "postgresql://u@db:5432/app",
                       "REDIS_URL": "redis://cache:6379/0"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u@db:5432/app"
    assert cfg["JOBS_INLINE"] is False
    assert cfg["CACHE_TYPE"] == "RedisCache"
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert config.normalise_database_url("postgres://x/y") == "postgresql+psycopg2://x/y"
