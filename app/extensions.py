"""Extension objects, created unbound; ``app.create_app`` binds them to an app.

Nothing here connects anywhere at import time.
"""
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import ApplicationLimit, Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.core import rate_limits

# A naming convention makes constraint names identical on SQLite and PostgreSQL,
# which Alembic batch mode needs to alter tables on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
cache = Cache()
# One budget per client over every route (app/core/rate_limits.py); routes with limits of
# their own (logins, sign-up) keep those on top. The limit is read from the app's config
# on each request, so every app the factory builds has its own.
limiter = Limiter(
    key_func=get_remote_address, default_limits=[],
    request_identifier=rate_limits.request_identifier,
    application_limits=[ApplicationLimit(limit_provider=rate_limits.per_client_limit,
                                         key_function=rate_limits.client_key,
                                         exempt_when=rate_limits.exempt, scope="client")])
babel = Babel()
