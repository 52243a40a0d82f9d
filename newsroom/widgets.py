"""Form widgets shared by the public site."""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """Django's <select>, with the same markup, written in Python instead of one template
    per option: a list of 300 authors costs a fraction of a millisecond, not ten."""

    def render(self, name, value, attrs=None, renderer=None):
        context = forms.Widget.get_context(self, name, value, attrs)["widget"]
        selected = set(self.format_value(value))
        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(format_html('\n  <optgroup label="{}">', option_value))
                parts += [self.option(value, text, selected) for value, text in label]
                parts.append("\n  </optgroup>")
            else:
                parts.append(self.option(option_value, label, selected))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            attributes_html(context["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 - every part is escaped
        )

    def option(self, value, label, selected):
        """One <option>; as in Django, only the first one matching a single value is
        selected (`selected` loses the value once used)."""
        value = "" if value is None else str(value)
        mark = ""
        if value in selected:
            mark = " selected"
            if not self.allow_multiple_selected:
                selected.clear()
        value, label = conditional_escape(value), conditional_escape(label)
        return f'\n  <option value="{value}"{mark}>{label}</option>'


def attributes_html(attrs):
    """As django/forms/widgets/attrs.html: False leaves an attribute out, True writes its
    name alone."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # noqa: S308 - every part built by format_html
