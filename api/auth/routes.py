"""Authentication for end users: register, verify email, log in, refresh, log out, reset."""
from flask import current_app, request
from flask_limiter.util import get_remote_address

from api.auth.schemas import (
    LoginSchema, PasswordResetConfirmSchema, PasswordResetRequestSchema, RefreshSchema,
    RegisterSchema, TokenOnlySchema, TokenSchema, WhoAmISchema,
)
from api.security import current_principal
from api.smorest import Blueprint
from api.users.schemas import UserSchema
from app.core.login_throttle import LoginThrottle, password_hashing
from app.extensions import limiter
from app.users import service as users

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="End-user authentication")


def _body_email():
    body = request.get_json(silent=True)
    return body.get("email") if isinstance(body, dict) else None


_login_throttle = LoginThrottle("user", "/api/v1/auth/login", _body_email,
                                failed=lambda response: response.status_code == 401)


def _tokens(pair: users.TokenPair) -> dict:
    return {"token_type": pair.token_type, "access_token": pair.access_token,
            "access_expires_at": pair.access_expires_at, "refresh_token": pair.refresh_token,
            "refresh_expires_at": pair.refresh_expires_at}


@blp.route("/register", methods=["POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"],
               key_func=lambda: "register-ip:" + get_remote_address())
@password_hashing
@blp.arguments(RegisterSchema)
@blp.response(202)
def register(data):
    """Create an account; a verification email follows. The answer is the same when the
    email already has an account: its owner is told by email instead."""
    users.sign_up(data["email"], data["password"], data.get("full_name", ""))


@blp.route("/login", methods=["POST"])
@_login_throttle.limits
@password_hashing
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="DEFAULT_ERROR",
                  description="Wrong email or password, or a deactivated account (one answer)")
@blp.alt_response(429, description="Too many failed attempts; retry after Retry-After seconds")
def login(data):
    """Exchange email and password for an access token and a refresh token."""
    pair = users.login(data["email"], data["password"],
                       user_agent=request.headers.get("User-Agent"))
    _login_throttle.remember_device(data["email"])
    return _tokens(pair)


@blp.route("/refresh", methods=["POST"])
@blp.arguments(RefreshSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="DEFAULT_ERROR", description="Invalid, expired or reused token")
def refresh(data):
    """Rotate the refresh token. Reusing a spent one revokes the whole session."""
    return _tokens(users.refresh(data["refresh_token"]))


@blp.route("/logout", methods=["POST"])
@blp.auth(user=True)
@blp.response(204)
def logout():
    """End this session: its refresh token and access token stop working."""
    principal = current_principal()
    users.logout(principal.user.id, principal.session_id)


@blp.route("/verify-email", methods=["POST"])
@blp.arguments(TokenOnlySchema)
@blp.response(200, UserSchema)
def verify_email(data):
    """Confirm the email address with the token from the verification email."""
    return users.verify_email(data["token"])


@blp.route("/verify-email/resend", methods=["POST"])
@limiter.limit("5 per hour", key_func=lambda: "resend:" + get_remote_address())
@blp.auth(user=True)
@blp.response(202)
@blp.alt_response(409, response="DEFAULT_ERROR", description="Already verified")
def resend_verification():
    """Send the verification email again."""
    users.resend_verification(current_principal().user.id)


@blp.route("/password-reset", methods=["POST"])
@limiter.limit("10 per hour", key_func=lambda: "reset:" + get_remote_address())
@blp.arguments(PasswordResetRequestSchema)
@blp.response(202)
def password_reset(data):
    """Email a reset link if the account exists (the answer is the same either way)."""
    users.request_password_reset(data["email"])


@blp.route("/password-reset/confirm", methods=["POST"])
@password_hashing
@blp.arguments(PasswordResetConfirmSchema)
@blp.response(204)
def password_reset_confirm(data):
    """Set a new password with the emailed token; every session ends."""
    users.reset_password(data["token"], data["password"])


@blp.route("/whoami", methods=["GET"])
@blp.auth(user=True, any_key=True)
@blp.response(200, WhoAmISchema)
def whoami():
    """The caller: an end user, or a partner key with its scopes."""
    actor = current_principal().actor
    return {"kind": actor.kind, "id": actor.id, "label": actor.label,
            "scopes": sorted(actor.scopes)}

