"""Newsletter addresses, under each language's prefix: /newsletter/, /fr/newsletter/, …"""

from django.urls import path  # noqa: F401

app_name = "newsletter"

urlpatterns: list = []
