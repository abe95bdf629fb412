"""``{% load guides %}{% guide_link "fermer-une-saison" %}``: a link « Guide : Fermer une saison » to the guide,
in the page's language, for the pages where a guide helps."""

import logging

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from pcn.toolbox.guidebook import current_language, guide_get

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def guide_link(slug: str) -> str:
    try:
        guide, _fell_back = guide_get(slug, current_language())
    except KeyError:
        # A page must not break for a guide renamed; the tests check that every slug used in a template exists.
        logger.warning("guide_link: no guide %r", slug)
        return ""
    return format_html('<a class="guide-link" href="{}">{}</a>', reverse("guide_detail", args=[guide.slug]),
                       _("Guide : %(title)s") % {"title": guide.title})
