from django.urls import path

from souk.orders import views

app_name = "orders"

urlpatterns = [
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.add_to_cart, name="add_to_cart"),
    path("cart/update/", views.update_cart, name="update_cart"),
    path("cart/accept-changes/", views.accept_cart_changes, name="accept_cart_changes"),
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/address-fields/", views.address_fields, name="address_fields"),
    path("orders/", views.order_list, name="list"),
    path("orders/sales/", views.artisan_list, name="artisan_list"),
    path("orders/sales/<str:reference>/", views.artisan_detail, name="artisan_detail"),
    path("orders/sales/<str:reference>/accept/", views.artisan_accept, name="artisan_accept"),
    path("orders/sales/<str:reference>/decline/", views.artisan_decline, name="artisan_decline"),
    path("orders/sales/<str:reference>/ship/", views.artisan_ship, name="artisan_ship"),
    path(
        "orders/sales/<str:reference>/return-received/",
        views.artisan_receive_return,
        name="artisan_receive_return",
    ),
    path("orders/sales/<str:reference>/dispute/", views.artisan_dispute, name="artisan_dispute"),
    path("orders/sales/<str:reference>/message/", views.artisan_message, name="artisan_message"),
    path(
        "orders/sales/<str:reference>/packing-slip.pdf",
        views.packing_slip,
        name="packing_slip",
    ),
    path("orders/moderation/", views.moderation_list, name="moderation_list"),
    path(
        "orders/moderation/<str:reference>/",
        views.moderation_detail,
        name="moderation_detail",
    ),
    path("orders/moderation/<str:reference>/step/", views.moderator_step, name="moderator_step"),
    path(
        "orders/moderation/<str:reference>/message/",
        views.moderator_message,
        name="moderator_message",
    ),
    path(
        "orders/parcel/<str:reference>/received/",
        views.buyer_confirm_receipt,
        name="confirm_receipt",
    ),
    path(
        "orders/parcel/<str:reference>/return/", views.buyer_request_return, name="request_return"
    ),
    path("orders/parcel/<str:reference>/dispute/", views.buyer_dispute, name="buyer_dispute"),
    path("orders/parcel/<str:reference>/message/", views.buyer_message, name="buyer_message"),
    path(
        "orders/parcel/<str:reference>/return-photos/<int:photo_id>/",
        views.return_photo,
        name="return_photo",
    ),
    path("orders/<str:reference>/", views.order_detail, name="detail"),
    path("orders/<str:reference>/cancel/", views.cancel_order, name="cancel"),
]
