"""``{% seo_meta as seo %}``: OpenGraph and JSON-LD values for the page (see allmep.seo)."""

from django import template

from allmep.seo import page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_meta(context):
    return page_meta(context)
