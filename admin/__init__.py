"""The Flask-Admin back office: thin views that call app/ services."""
from flask import Flask
from flask_admin import Admin

from app.extensions import login_manager


def init_app(app: Flask) -> Admin:
    from app.staff import service as staff_service

    login_manager.init_app(app)

    @login_manager.user_loader
    def _load(session_id):
        found = staff_service.load_session(session_id)
        if found is None:
            return None
        staff, session = found
        staff.current_session_id = session.id
        return staff

    # Created per app: a module-level Admin breaks when the factory runs twice.
    admin = Admin(app, name="NextGen Market")
    return admin
