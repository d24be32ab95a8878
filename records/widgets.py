"""Form widgets of the reader pages."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class CompactSelect(forms.Select):
    """A <select> written in Python rather than with a template per option.

    Django renders every <option> through two included templates; for a menu of all 249
    countries that was a third of an uncached directory page. Same markup, no optgroups (the
    reader menus have none).
    """

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for _group, group_options, _index in context["optgroups"]
                for option in group_options
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', name, flatatt(context["attrs"]), options)
