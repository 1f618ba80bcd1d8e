"""Models and migrations agree, on PostgreSQL (where drift would hurt)."""


def test_no_drift_between_models_and_migrations(pg_app):
    runner = pg_app.test_cli_runner()
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
