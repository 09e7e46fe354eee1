from rest_framework import viewsets

from .filters import KeywordFilter
from .models import Keyword
from .serializers import KeywordSerializer


class KeywordViewSet(viewsets.ReadOnlyModelViewSet):
    """The keyword list: tenant-scoped by the caller's account, filtered,
    searched, ordered and paginated by DRF's standard machinery."""

    serializer_class = KeywordSerializer
    throttle_scope = "planner"
    filterset_class = KeywordFilter
    search_fields = ["keyword"]
    ordering_fields = ["id", "created_at", "keyword", "volume", "difficulty", "status"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return Keyword.objects.filter(account_id=self.request.user.bench_profile.account_id)
