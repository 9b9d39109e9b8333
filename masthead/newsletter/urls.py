"""Newsletter addresses, under each language's prefix: /newsletter/, /fr/newsletter/, …"""

from django.urls import path

from masthead.newsletter import views

app_name = "newsletter"

urlpatterns = [
    # GET: the subscribe page; POST: a subscribe request (from it or any page's footer form).
    path("", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
]
