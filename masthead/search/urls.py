"""Search addresses, under each language's prefix: /search/, /fr/search/, … and the
OpenSearch description at /opensearch.xml, /fr/opensearch.xml, …"""

from django.urls import path

from masthead.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.results, name="results"),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
