def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_register_login_me(client, factories):
    resp = client.post("/api/v1/auth/register",
                       json={"email": "New.Person@Example.COM", "password": factories.PASSWORD})
    assert resp.status_code == 202, resp.get_json()
    tokens = factories.login(client, "NEW.person@example.com")
    me = client.get("/api/v1/users/me", headers=factories.bearer(tokens["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["email"] == "new.person@example.com"
