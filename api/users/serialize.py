"""The signed-in user as a hand-built dict (UserSchema stays the contract; a test keeps
them equal). /users/me is read on every app start, so it takes the fast path."""


def user_dict(u) -> dict:
    return {
        "id": str(u.id),
        "email": u.email,
        "full_name": u.full_name,
        "phone": u.phone,
        "country": u.country,
        "email_verified": u.email_verified_at is not None,
        "is_active": u.is_active,
        "created_at": u.created_at.isoformat(),
        "updated_at": u.updated_at.isoformat(),
    }
