"""Partner API keys (admins only). The full key exists only in the response to the
create form: it is stored hashed and never shown again."""
from __future__ import annotations

from flask import make_response
from flask_admin import expose
from flask_admin.actions import action

from admin.forms import ApiKeyCreateForm
from admin.security import SecureModelView, actor, bulk, run
from app.apikeys import service as apikeys


def _scopes(view, context, model, name):
    return ", ".join(model.scopes or [])


def _state(view, context, model, name):
    return "revoked" if model.revoked_at else "active"


class ApiKeysView(SecureModelView):
    roles_read = ("admin",)
    roles_write = ("admin",)
    allow_create = True

    column_list = ("name", "prefix", "scopes", "state", "last_used_at", "created_by",
                   "created_at", "revoked_at")
    column_formatters = {"scopes": _scopes, "state": _state}
    column_searchable_list = ("name", "prefix")
    column_filters = ("name", "created_by", "created_at", "revoked_at", "last_used_at")
    column_default_sort = ("created_at", True)

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = ApiKeyCreateForm()
        if form.validate_on_submit():
            ok, created = run(apikeys.create, form.name.data, form.scopes.data, actor=actor())
            if ok:
                key, secret = created
                response = make_response(self.render("backoffice/apikey_created.html",
                                                     key=key, secret=secret))
                response.headers["Cache-Control"] = "no-store"
                return response
        return self.render("backoffice/apikey_form.html", form=form)

    @action("revoke", "Revoke",
            "Revoke the selected keys? Partners using them are refused from now on.")
    def action_revoke(self, ids):
        bulk(ids, apikeys.revoke, "{} key(s) revoked.")
