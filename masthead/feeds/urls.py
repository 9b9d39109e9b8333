"""Feed addresses, under each language's prefix: /feeds/…, /fr/feeds/…"""

app_name = "feeds"

urlpatterns: list = []
