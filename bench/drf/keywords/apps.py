from django.apps import AppConfig


class KeywordsConfig(AppConfig):
    name = "keywords"
    default_auto_field = "django.db.models.BigAutoField"
