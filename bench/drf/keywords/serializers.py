from rest_framework import serializers

from .models import Keyword


class KeywordSerializer(serializers.ModelSerializer):
    """The fields of igny8-go's planner.Keyword JSON, in the same order."""

    class Meta:
        model = Keyword
        fields = [
            "id", "account_id", "created_at", "updated_at", "site_id", "sector_id", "seed_keyword_id",
            "keyword", "volume", "difficulty", "intent", "volume_override", "difficulty_override",
            "intent_override", "attribute_values", "cluster_id", "status", "disabled",
        ]
