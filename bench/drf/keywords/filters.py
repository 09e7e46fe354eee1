import django_filters
from django import forms
from rest_framework.filters import OrderingFilter

from .models import Keyword


class IntFilter(django_filters.NumberFilter):
    """NumberFilter parses into Decimal; ids and counts are integers."""

    field_class = forms.IntegerField


class KeywordFilter(django_filters.FilterSet):
    """The filters of igny8-go's KeywordListSpec that the original had."""

    site_id = IntFilter(field_name="site_id")
    sector_id = IntFilter(field_name="sector_id")
    cluster_id = IntFilter(field_name="cluster_id")
    status = django_filters.CharFilter(field_name="status")
    intent = django_filters.CharFilter(field_name="intent")
    volume_min = IntFilter(field_name="volume", lookup_expr="gte")
    volume_max = IntFilter(field_name="volume", lookup_expr="lte")
    difficulty_min = IntFilter(field_name="difficulty", lookup_expr="gte")
    difficulty_max = IntFilter(field_name="difficulty", lookup_expr="lte")

    class Meta:
        model = Keyword
        fields = []


class StableOrderingFilter(OrderingFilter):
    """Adds the id tiebreak igny8-go always adds, so both return the same
    rows in the same order (and pages never overlap)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(f.lstrip("-") == "id" for f in ordering):
            ordering = list(ordering) + ["id"]
        return ordering
