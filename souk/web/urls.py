from django.urls import path

from souk.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # The pages a merchant must have (docs/legal.md), linked from every footer and checkout.
    path("help/<slug:page>/", views.legal, name="legal"),
]
