"""The signed-in end user's own account."""
import orjson
from flask import current_app
from flask.views import MethodView
from flask_limiter.util import get_remote_address

from api.security import current_principal
from api.smorest import Blueprint
from api.users.schemas import (
    PasswordChangeSchema, PhoneConfirmSchema, PhoneSchema, PhoneSetSchema, SmsOptInSchema,
    UserSchema, UserUpdateSchema,
)
from api.users.serialize import user_dict
from app.core.login_throttle import password_hashing
from app.extensions import limiter
from app.users import service as users

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="End-user accounts")


@blp.route("/me")
class Me(MethodView):
    @blp.auth(user=True)  # outermost: credentials are checked before preconditions
    @blp.etag
    @blp.response(200, UserSchema)
    def get(self):
        """The signed-in user's profile."""
        data = user_dict(current_principal().user)
        blp.set_etag(data)  # equals UserSchema's dump, so If-Match on PATCH agrees
        return current_app.response_class(orjson.dumps(data), mimetype="application/json")

    @blp.auth(user=True)
    @blp.etag
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, data):
        """Update the profile. Send the ETag from GET in If-Match."""
        principal = current_principal()
        blp.check_etag(principal.user, UserSchema)
        return users.update_profile(principal.user.id, data, actor=principal.actor)

    @blp.auth(user=True)
    @blp.response(204)
    def delete(self):
        """Deactivate the account: it can no longer log in; its data is kept."""
        principal = current_principal()
        users.deactivate(principal.user.id, actor=principal.actor)


@blp.route("/me/password", methods=["POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_CHANGE_RATE_LIMIT"],
               key_func=lambda: "password-change-ip:" + get_remote_address(),
               deduct_when=lambda response: response.status_code == 422)
@password_hashing
@blp.auth(user=True)
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@blp.alt_response(422, response="DEFAULT_ERROR", description="Wrong current password")
def change_password(data):
    """Change the password; every session, this one included, ends."""
    users.change_password(current_principal().user.id, data["current_password"], data["new_password"])


def _phone_state():
    from app.users import phone

    return phone.state(users.get(current_principal().user.id))


@blp.route("/me/phone")
class MyPhone(MethodView):
    @blp.auth(user=True)
    @blp.response(200, PhoneSchema)
    def get(self):
        """The phone SMS go to, whether it is verified, and the SMS opt-in."""
        return _phone_state()

    @limiter.limit("5 per hour", key_func=lambda: "phone-code:" + get_remote_address())
    @blp.auth(user=True)
    @blp.arguments(PhoneSetSchema)
    @blp.response(200, PhoneSchema)
    def put(self, data):
        """Set the phone number; it is unverified until the code sent to it is confirmed."""
        from app.users import phone

        principal = current_principal()
        return phone.state(phone.set_phone(principal.user.id, data["phone"], actor=principal.actor))

    @blp.auth(user=True)
    @blp.arguments(SmsOptInSchema)
    @blp.response(200, PhoneSchema)
    @blp.alt_response(409, response="DEFAULT_ERROR", description="The phone is not verified")
    def patch(self, data):
        """Opt in to (or out of) SMS; opting in needs a verified phone."""
        from app.users import phone

        principal = current_principal()
        return phone.state(phone.set_sms_opt_in(principal.user.id, data["sms_opt_in"],
                                                actor=principal.actor))


@blp.route("/me/phone/code", methods=["POST"])
@limiter.limit("5 per hour", key_func=lambda: "phone-code:" + get_remote_address())
@blp.auth(user=True)
@blp.response(202)
@blp.alt_response(409, response="DEFAULT_ERROR", description="No phone, or already verified")
def send_phone_code():
    """Send a new code to the phone (the last one stops working)."""
    from app.users import phone

    principal = current_principal()
    phone.send_code(principal.user.id, actor=principal.actor)


@blp.route("/me/phone/confirm", methods=["POST"])
@blp.auth(user=True)
@blp.arguments(PhoneConfirmSchema)
@blp.response(200, PhoneSchema)
@blp.alt_response(409, response="DEFAULT_ERROR", description="No valid code: ask a new one")
def confirm_phone(data):
    """Confirm the phone with the code it received."""
    from app.users import phone

    principal = current_principal()
    return phone.state(phone.confirm(principal.user.id, data["code"], actor=principal.actor))
