"""An unmanaged model on igny8's keyword table and the user → account map."""
from django.conf import settings
from django.db import models


class BenchProfile(models.Model):
    """Which igny8 account a Django user acts for (the original keeps the
    account on its own user model; a profile keeps auth_user stock)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bench_profile")
    account_id = models.BigIntegerField()


class LiveManager(models.Manager):
    """Soft-deleted rows are hidden, as the original's SoftDeletableModel does."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Keyword(models.Model):
    id = models.BigAutoField(primary_key=True)
    account_id = models.BigIntegerField()
    site_id = models.BigIntegerField()
    sector_id = models.BigIntegerField()
    seed_keyword_id = models.BigIntegerField(null=True)
    keyword = models.CharField(max_length=255)
    keyword_norm = models.TextField()
    volume = models.IntegerField()
    difficulty = models.IntegerField()
    intent = models.CharField(max_length=20)
    volume_override = models.IntegerField(null=True)
    difficulty_override = models.IntegerField(null=True)
    intent_override = models.CharField(max_length=20, null=True)
    attribute_values = models.JSONField(default=list)
    cluster_id = models.BigIntegerField(null=True)
    status = models.CharField(max_length=10)
    disabled = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True)

    objects = LiveManager()

    class Meta:
        managed = False
        db_table = "igny8_keywords"
