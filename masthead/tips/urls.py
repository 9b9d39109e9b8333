"""Tip box addresses for sources, under each language's prefix: /tips/, /fr/tips/, …"""

from django.urls import path

from masthead.tips import views

app_name = "tips"

urlpatterns = [
    # GET: the advice and the form; POST: a new tip (then the codename, shown once).
    path("", views.submit, name="submit"),
    # GET: the codename form; POST: sign in with a codename (replies, and a form to add more).
    path("return/", views.return_to_tip, name="return"),
    # POST only: a follow-up message from a signed-in source.
    path("return/message/", views.follow_up, name="follow_up"),
]
