from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from pcn.accounts.templatetags.pcn import money
from pcn.reports.tables import COUNT, DATE, MONEY, PERCENT

register = template.Library()


@register.simple_tag
def cell(row: dict, column):
    """One value of a report table, written for the page's language."""
    value = row.get(column.key)
    if value is None or value == "":
        return "—"
    if column.kind == MONEY:
        return money(value)
    if column.kind == COUNT:
        return number_format(value, force_grouping=True)
    if column.kind == DATE and hasattr(value, "isoformat"):
        return date_format(value, "j F Y")
    if column.kind == PERCENT:
        return _("%(rate)s %%") % {"rate": number_format(value, 1)}
    return value


@register.simple_tag
def percent(value):
    if value is None:
        return "—"
    return _("%(rate)s %%") % {"rate": number_format(value, 1)}
