"""Search addresses, under each language's prefix: /search/, /fr/search/, …"""

app_name = "search"

urlpatterns: list = []
