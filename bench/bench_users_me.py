"""GET /api/v1/users/me with a Bearer access token, against the bare Flask baseline."""
from bench.load import Target

DESCRIPTION = "GET /api/v1/users/me (JWT) vs bare Flask hello"
GOAL = 0.4


def run(ctx):
    account = ctx.register_user()
    app = ctx.app_server()
    target = Target("GET /api/v1/users/me", app.url("/api/v1/users/me"),
                    headers={"Authorization": f"Bearer {account['access_token']}"})
    return ctx.compare(target, ctx.bare_target(), goal=GOAL)
