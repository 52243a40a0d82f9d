"""Optimistic concurrency for editing forms: a save never overwrites one it has not seen.

Models that take part have a `version` counter and a `modified_by` stamp, kept by
`count_save()` in their `save()`. Their forms inherit `VersionedModelForm`, which carries
the version the editor opened (and a signed copy of the values they saw) and refuses the
save, with the other person's changes listed, when the row has moved on since.
"""

from datetime import datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format

TOKEN_FIELDS = ("opened_version", "opened_values")


def saving_as(instance, user):
    """Name `user` as the author of the next save of `instance` (editing forms only)."""
    instance._saving_as = user


def count_save(instance, update_fields):
    """Count a save in `instance.version` and stamp who made it; return the update_fields
    to pass on. Call `forget_version()` after the save.

    The database adds one to the stored version, whatever the instance holds (a stale
    copy, or old values put back), so versions only ever go up. A save of derived fields
    only (no `modified` among update_fields) is not an edit and is not counted. A save not
    made through `saving_as()` clears the stamp, so a conflict message never names someone
    who did not make the latest change."""
    if update_fields is not None and "modified" not in update_fields:
        return update_fields
    instance.version = 1 if instance._state.adding else models.F("version") + 1
    instance.modified_by = getattr(instance, "_saving_as", None)
    instance._saving_as = None
    if update_fields is not None:
        update_fields = {*update_fields, "version", "modified_by"}
    return update_fields


def forget_version(instance):
    """After a save counted by `count_save()`: drop the `version + 1` expression, so the
    stored version is read back only when something asks for it (Django loads a field
    missing from an instance on first access), and a save costs no extra query."""
    if isinstance(instance.__dict__.get("version"), models.expressions.Combinable):
        del instance.__dict__["version"]


def as_text(field, value):
    """A form or model value as an editor reads it in the conflict table."""
    if value is None or value == "":
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | models.QuerySet):
        return ", ".join(sorted(as_text(field, item) for item in value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def compared_fields(form):
    """The model fields the form edits, except uploads (a file is not text to compare)."""
    opts = form._meta.model._meta
    model_fields = {field.name for field in [*opts.concrete_fields, *opts.many_to_many]}
    return [
        name
        for name, field in form.fields.items()
        if name in model_fields and not isinstance(field, forms.FileField)
    ]


def saved_values(form, instance):
    """{field: text} of `instance` as saved, for the fields `form` edits."""
    values = {}
    for name in compared_fields(form):
        value = getattr(instance, name)
        if instance._meta.get_field(name).many_to_many:
            value = list(value.all())
        elif isinstance(value, FieldFile):
            value = value.name
        values[name] = as_text(form.fields[name], value)
    return values


def submitted_values(form):
    """{field: text} of what the editor sent, cleaned where the field was valid."""
    return {
        name: as_text(
            form.fields[name],
            form.cleaned_data[name] if name in form.cleaned_data else form[name].value(),
        )
        for name in compared_fields(form)
    }


def signer_salt(instance):
    return f"newsroom.concurrency:{instance._meta.label_lower}:{instance.pk}"


def sign_values(form, instance):
    return signing.dumps(
        {"version": instance.version, "values": saved_values(form, instance)},
        salt=signer_salt(instance),
        compress=True,
    )


def opened_values(form, version):
    """The values the editor opened, from the form's signed copy; None if missing, tampered
    with or of another version."""
    token = form.data.get(form.add_prefix("opened_values"), "")
    try:
        opened = signing.loads(token, salt=signer_salt(form.instance))
    except signing.BadSignature:
        return None
    if not isinstance(opened, dict) or opened.get("version") != version:
        return None
    return opened.get("values")


class EditConflict:
    """Someone saved the row after the editor opened the form: who, when, and what."""

    def __init__(self, *, form, current, opened_version):
        self.current = current
        self.opened_version = opened_version
        self.saved_by = current.modified_by
        self.saved_at = current.modified
        self.is_self = form.editor is not None and current.modified_by_id == form.editor.pk
        opened = opened_values(form, opened_version) if opened_version is not None else None
        theirs, yours = saved_values(form, current), submitted_values(form)
        self.opened_known = opened is not None
        self.rows = [
            {
                "label": form.fields[name].label or name,
                "opened": opened[name] if opened is not None else None,
                "theirs": theirs[name],
                "yours": yours[name],
            }
            for name in theirs
            if (opened is not None and opened.get(name) != theirs[name])
            or (opened is None and theirs[name] != yours[name])
        ]

    @property
    def who(self):
        if self.is_self:
            return "You (in another window)"
        if self.saved_by is None:
            return "Someone, outside the editing form,"
        return self.saved_by.get_full_name() or self.saved_by.get_username()

    @property
    def message(self):
        when = date_format(timezone.localtime(self.saved_at), "j M Y, H:i")
        opened = (
            "since you opened this form"
            if self.opened_version is not None
            else "and this form did not say which version you opened"
        )
        return (
            f"Not saved: {self.who} saved this {self.current._meta.verbose_name} at {when} "
            f"{opened}. Nothing of yours was written. Their changes are listed above; your "
            "text is still in the form. Merge what you need and save again."
        )


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to overwrite a save its editor has not seen.

    `editor` (the user filling in the form) may be given as a keyword or set on a subclass
    by the admin. Validate inside a transaction: the row is locked while it is checked, so
    two saves at the same moment cannot both pass.
    """

    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)
    opened_values = forms.CharField(widget=forms.HiddenInput, required=False)
    editor = None

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editor is not None:
            self.editor = editor
        self.conflict = None
        if self.instance.pk is not None and not self.is_bound:
            self.initial["opened_version"] = self.instance.version
            self.initial["opened_values"] = sign_values(self, self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self.check_version()
        return cleaned_data

    def check_version(self):
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # Lock the row only: the saver (an outer join) may be missing.
            rows = rows.select_for_update(of=("self",))
        current = rows.select_related("modified_by").first()
        if current is None:
            raise ValidationError("This record was deleted while you were editing it.")
        opened = self.data.get(self.add_prefix("opened_version"), "")
        opened = int(opened) if opened.isdigit() else None
        if opened == current.version:
            return
        self.conflict = EditConflict(form=self, current=current, opened_version=opened)
        self.add_error(None, ValidationError(self.conflict.message, code="edit_conflict"))
        # The form shown again carries the version now saved: saving it again is deliberate.
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = str(current.version)
        self.data[self.add_prefix("opened_values")] = sign_values(self, current)


def refused_status(response, form):
    """Answer 409 Conflict when the form was refused because someone else got there first."""
    if form.conflict is not None or getattr(form, "taken_over", None) is not None:
        response.status_code = 409
    return response
