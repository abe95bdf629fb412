from django import template
from django.utils.translation import get_language

from pcn.lib.money import format_cents

register = template.Library()


@register.filter
def money(cents):
    """Integer cents as money in the page's language: 12,50 $ or $12.50."""
    if cents is None or cents == "":
        return "—"
    return format_cents(int(cents), get_language() or "fr")
