"""The newsroom's pages that are not Wagtail pages: authors, tags and the site icon."""

from django.urls import path

from masthead.newsroom import views

app_name = "newsroom"

urlpatterns = [
    path("authors/<slug:slug>/", views.author_page, name="author"),
    path("tags/<slug:slug>/", views.tag_page, name="tag"),
    path("favicon.ico", views.favicon, name="favicon"),
]
