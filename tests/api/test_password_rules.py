"""#13 finding 10 through the API: common passwords and the account's own email or name
are refused (OWASP ASVS 5.0 V6.2); wrong current passwords on a change are throttled."""
import pytest

from tests.factories import PASSWORD, bearer, login


@pytest.mark.parametrize("password", ["1234567890", "password12", "qwertyuiop", "iloveyou123"])
def test_common_passwords_are_refused(client, password):
    resp = client.post("/api/v1/auth/register",
                       json={"email": "newcomer@example.com", "password": password})
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["password"] == [
        "This password is on a list of common passwords."]


@pytest.mark.parametrize("password", ["maria.gonzalez@example.com", "MariaGonzalez!2024",
                                      "xx maria.gonzalez xx"])
def test_own_email_or_name_is_refused(client, password):
    resp = client.post("/api/v1/auth/register",
                       json={"email": "maria.gonzalez@example.com", "password": password,
                             "full_name": "Maria Gonzalez"})
    assert resp.status_code == 422 and "email or name" in str(resp.get_json())


def test_new_password_is_checked_too(client, factories):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    resp = client.post("/api/v1/users/me/password", headers=headers,
                       json={"current_password": PASSWORD, "new_password": "password12"})
    assert resp.status_code == 422


def test_wrong_current_passwords_are_throttled(client, factories):
    user = factories.user()
    headers = bearer(login(client, user.email)["access_token"])
    for _ in range(5):
        resp = client.post("/api/v1/users/me/password", headers=headers,
                           json={"current_password": "wrong-wrong-wrong",
                                 "new_password": "fresh passphrase 9"})
        assert resp.status_code == 422
    blocked = client.post("/api/v1/users/me/password", headers=headers,
                          json={"current_password": PASSWORD, "new_password": "fresh passphrase 9"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
