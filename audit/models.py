from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One thing a member of staff did to the newsroom's content: a workflow transition, a
    take-over, a restore, a trash, a correction. Written by services, never edited.

    The actor's name and the object's description are copied in, so an entry still reads
    correctly after the account or the object is gone.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(
        max_length=40, db_index=True, help_text="A short verb, e.g. published or trashed."
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("object", max_length=250)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx"),
        ]

    def __str__(self):
        return f"{self.actor_name or 'system'} {self.action} {self.object_repr}"
