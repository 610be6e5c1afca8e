"""Build the POST a browser would send from an admin add/change page (main form + inlines)."""

import datetime
from decimal import Decimal

from django.db.models import Model


def _serialise(value) -> str | list[str] | None:
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return [str(v.pk if isinstance(v, Model) else v) for v in value]
    if isinstance(value, (int, Decimal, datetime.date, datetime.datetime, str)):
        return str(value)
    return None  # files and anything else a browser would not resend


def _form_fields(form, data: dict) -> None:
    for name, field in form.fields.items():
        value = _serialise(form[name].value())
        if value is not None:
            data[form.add_prefix(name)] = value
            if field.show_hidden_initial:  # fields with callable defaults render this input
                data[form.add_initial_prefix(name)] = value


def admin_form_data(response) -> dict:
    """The form of an admin change/add page as it would be submitted unchanged."""
    data: dict = {}
    _form_fields(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:  # extra rows too: a browser sends their defaults
            _form_fields(form, data)
    return data
