from django.urls import path

from souk.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.earnings, name="earnings"),
    path("statement/<int:year>-<int:month>.pdf", views.statement, name="statement"),
    path("operations/", views.operations, name="operations"),
    path("operations/run/", views.start_run, name="start_run"),
    path(
        "operations/runs/<int:run_id>/transfer-file.xml",
        views.transfer_file,
        name="transfer_file",
    ),
]
