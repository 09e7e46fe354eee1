"""The keyword list at the original's path."""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from keywords.views import KeywordViewSet

router = SimpleRouter()
router.register("keywords", KeywordViewSet, basename="keyword")

urlpatterns = [path("api/v1/planner/", include(router.urls))]
