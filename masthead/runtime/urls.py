"""Addresses of the runtime app, mounted at the site root outside the language prefixes."""

from django.urls import path

from masthead.runtime.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]
