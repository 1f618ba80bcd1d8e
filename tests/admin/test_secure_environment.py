"""#13 finding 5 through the back office and the CLI: an APP_ENV other than development and
testing (here "staging") runs with the production settings; demo data refuses to load."""
from tests import factories as f
from tests.admin.conftest import TOKEN
from tests.conftest import make_client, own_app

STAGING = {"APP_ENV": "staging", "SECRET_KEY": "kq3R8v-Zt1_mWx9bLpN4cYh7JfD2sGeA0uQiVnTo5rE",
           "PUBLIC_BASE_URL": "https://staging.example.com"}


def test_staging_requires_staff_mfa_and_secure_cookies(tmp_path):
    with own_app(tmp_path, **STAGING) as app:
        staff = f.staff("support")
        from app.core import uow

        uow.commit()
        client, base = make_client(app), "https://staging.example.com"
        page = client.get("/admin/login", base_url=base).get_data(as_text=True)
        resp = client.post("/admin/login", base_url=base, headers={"Referer": base + "/admin/login"},
                           data={"email": staff.email, "password": f.PASSWORD,
                                 "csrf_token": TOKEN.search(page).group(1)})
        assert resp.status_code == 302 and resp.location.startswith("/admin/login/2fa")
        cookies = resp.headers.getlist("Set-Cookie")
        session_cookie = next(c for c in cookies if c.startswith("session="))
        assert "Secure" in session_cookie and "HttpOnly" in session_cookie


def test_demo_data_refuses_to_load_outside_development(tmp_path):
    with own_app(tmp_path, **STAGING) as app:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert result.exit_code != 0
        assert "never loaded" in result.output
        from sqlalchemy import func, select

        from app.extensions import db
        from app.staff.models import Staff

        assert db.session.scalar(select(func.count()).select_from(Staff)) == 0
