import pytest

import config

STRONG = "kq3R8v-Zt1_mWx9bLpN4cYh7JfD2sGeA0uQiVnTo5rE"


def test_secret_key_required_outside_development(tmp_path):
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    cfg = config.load({"APP_ENV": "production", "SECRET_KEY": STRONG,
                       "PUBLIC_BASE_URL": "https://shop.example.com", "INSTANCE_PATH": str(tmp_path)})
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
    cfg = config.load({"APP_ENV": "production", "SECRET_KEY": STRONG,
                       "PUBLIC_BASE_URL": "https://shop.example.com",
                       "DATABASE_URL": "postgresql://u@db:5432/app",
                       "REDIS_URL": "redis://cache:6379/0"})
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u@db:5432/app"
    assert cfg["JOBS_INLINE"] is False
    assert cfg["CACHE_TYPE"] == "RedisCache"
    assert cfg["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert config.normalise_database_url("postgres://x/y") == "postgresql+psycopg2://x/y"


@pytest.mark.parametrize("app_env", ["production", "staging", "Prod", "qa"])
def test_every_environment_but_development_and_testing_is_secure(tmp_path, app_env):
    base = {"APP_ENV": app_env, "INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.load(base)
    for weak in ("x", "changeme", "s" * 32, "0123456"):
        with pytest.raises(config.ConfigError, match="32 random bytes"):
            config.load({**base, "SECRET_KEY": weak, "PUBLIC_BASE_URL": "https://a.example"})
    with pytest.raises(config.ConfigError, match="PUBLIC_BASE_URL"):
        config.load({**base, "SECRET_KEY": STRONG})
    with pytest.raises(config.ConfigError, match="JWT_SECRET_KEY"):
        config.load({**base, "SECRET_KEY": STRONG, "PUBLIC_BASE_URL": "https://a.example",
                     "JWT_SECRET_KEY": "short"})
    cfg = config.load({**base, "SECRET_KEY": STRONG, "PUBLIC_BASE_URL": "https://a.example/"})
    assert cfg["SECURE_ENVIRONMENT"] is True
    assert cfg["STAFF_MFA_REQUIRED"] is True and cfg["SESSION_COOKIE_SECURE"] is True
    assert cfg["PUBLIC_BASE_URL"] == "https://a.example"
    assert cfg["HSTS_MAX_AGE"] == 31536000


@pytest.mark.parametrize("app_env", ["development", "testing", "test", None])
def test_development_and_testing_keep_their_conveniences(tmp_path, app_env):
    env = {"INSTANCE_PATH": str(tmp_path), **({"APP_ENV": app_env} if app_env else {})}
    cfg = config.load(env)
    assert cfg["SECURE_ENVIRONMENT"] is False
    assert cfg["STAFF_MFA_REQUIRED"] is False and cfg["SESSION_COOKIE_SECURE"] is False
    assert cfg["TESTING"] is (app_env in {"testing", "test"})
    assert cfg["HSTS_MAX_AGE"] == 0


def test_jwt_key_is_derived_from_the_secret_key_under_a_label_or_given(tmp_path):
    base = {"APP_ENV": "testing", "SECRET_KEY": STRONG, "INSTANCE_PATH": str(tmp_path)}
    derived = config.load(base)["JWT_SIGNING_KEY"]
    assert len(derived) == 32 and STRONG.encode() not in derived
    assert derived == config.hkdf_sha256(STRONG.encode(), b"nextgen-market/jwt-access/v1")
    # RFC 5869 test case 3 (SHA-256, empty salt and info).
    assert config.hkdf_sha256(bytes.fromhex("0b" * 22), b"", 42).hex() == (
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
        "9d201395faa4b61a96c8")
    assert config.load({**base, "JWT_SECRET_KEY": "j" * 40})["JWT_SIGNING_KEY"] == b"j" * 40


def test_instance_secrets_are_written_owner_only(tmp_path):
    config.load({"INSTANCE_PATH": str(tmp_path)})
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o777 == 0o600
    # A key file left readable by all by an older version is narrowed on the next start.
    (tmp_path / "dev-secret-key").chmod(0o644)
    config.load({"INSTANCE_PATH": str(tmp_path)})
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o777 == 0o600


def test_retention_settings_default_to_stripe_like_windows_and_refuse_nonsense(tmp_path):
    cfg = config.load({"INSTANCE_PATH": str(tmp_path)})
    assert (cfg["EVENT_RETENTION_DAYS"], cfg["WEBHOOK_LOG_RETENTION_DAYS"],
            cfg["GATEWAY_EVENT_RETENTION_DAYS"], cfg["RETENTION_BATCH_SIZE"]) == (30, 30, 90, 1000)
    cfg = config.load({"INSTANCE_PATH": str(tmp_path), "EVENT_RETENTION_DAYS": "0",
                       "RETENTION_BATCH_SIZE": "50"})
    assert cfg["EVENT_RETENTION_DAYS"] == 0 and cfg["RETENTION_BATCH_SIZE"] == 50
    with pytest.raises(config.ConfigError, match="GATEWAY_EVENT_RETENTION_DAYS"):
        config.load({"INSTANCE_PATH": str(tmp_path), "GATEWAY_EVENT_RETENTION_DAYS": "-1"})
    with pytest.raises(config.ConfigError, match="RETENTION_BATCH_SIZE"):
        config.load({"INSTANCE_PATH": str(tmp_path), "RETENTION_BATCH_SIZE": "0"})
