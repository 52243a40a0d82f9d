"""The one way to write the audit log."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(*, action, obj, by=None, message="", **data):
    """Log that `by` (a user, or None for the system) did `action` to `obj`.

    Call inside the transaction of the change itself, so the entry exists exactly when the
    change does. Extra keyword arguments are stored as JSON details.
    """
    actor = by if by is not None and by.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:250],
        message=message,
        data=data,
    )
