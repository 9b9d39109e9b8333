from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "masthead.runtime"
    label = "runtime"
    verbose_name = "Runtime"
