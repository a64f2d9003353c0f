from django.urls import path

from souk.catalog import views

app_name = "catalog"

urlpatterns = [
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/approve/", views.bulk_approve, name="bulk_approve"),
    path("moderation/<int:product_id>/decide/", views.decide, name="decide"),
    path("manage/<int:shop_id>/", views.listings, name="listings"),
    path("manage/<int:shop_id>/new/", views.create, name="create"),
    path("manage/<int:shop_id>/<int:product_id>/", views.edit, name="edit"),
    path("manage/<int:shop_id>/<int:product_id>/photos/", views.photos, name="photos"),
    path(
        "manage/<int:shop_id>/<int:product_id>/photos/order/",
        views.reorder_photos,
        name="reorder_photos",
    ),
    path(
        "manage/<int:shop_id>/<int:product_id>/photos/<int:photo_id>/remove/",
        views.remove_photo,
        name="remove_photo",
    ),
    path(
        "manage/<int:shop_id>/<int:product_id>/photos/<int:photo_id>/move/",
        views.move_photo,
        name="move_photo",
    ),
    path("manage/<int:shop_id>/<int:product_id>/variants/", views.variants, name="variants"),
    path(
        "manage/<int:shop_id>/<int:product_id>/variants/<int:variant_id>/",
        views.edit_variant,
        name="edit_variant",
    ),
    path(
        "manage/<int:shop_id>/<int:product_id>/variants/<int:variant_id>/deactivate/",
        views.put_variant_on_sale,
        {"on_sale": False},
        name="deactivate_variant",
    ),
    path(
        "manage/<int:shop_id>/<int:product_id>/variants/<int:variant_id>/reactivate/",
        views.put_variant_on_sale,
        {"on_sale": True},
        name="reactivate_variant",
    ),
    path(
        "manage/<int:shop_id>/<int:product_id>/status/", views.change_status, name="change_status"
    ),
    path("<int:product_id>-<slug:slug>/", views.detail, name="detail"),
]
