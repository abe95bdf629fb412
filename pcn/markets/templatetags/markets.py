from django import template

from pcn.markets import selectors

register = template.Library()


@register.filter
def opening_hours_lines(hours) -> list[str]:
    """A sale point's hours in short lines: {{ sp.opening_hours.all|opening_hours_lines }}."""
    return selectors.opening_hours_lines(hours)
