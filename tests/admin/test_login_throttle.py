"""Staff sign-in throttling (#13 findings 1-2): the account bucket is the normalised email,
and a device the staff member signed in from is not locked out by someone else's guesses."""
WRONG = "not the password at all"


def test_staff_account_limit_is_keyed_on_the_normalised_email(browser, factories):
    factories.staff("support", email_addr="lin@example.com")
    attacker = browser()
    for _ in range(5):
        assert attacker.login("lin@example.com", WRONG).status_code == 401
    assert attacker.login("lin@\uff45xample.com", WRONG).status_code == 429
    assert browser().login("LIN@example.com").status_code == 429


def test_staff_known_device_signs_in_while_the_account_is_under_attack(browser, factories):
    staff = factories.staff("support")
    own = browser()
    assert own.login(staff.email).status_code == 302
    own.logout()
    attacker = browser()
    for _ in range(5):
        assert attacker.login(staff.email, WRONG).status_code == 401
    assert attacker.login(staff.email).status_code == 429
    resp = own.login(staff.email)
    assert resp.status_code == 302 and resp.location == "/admin/"
