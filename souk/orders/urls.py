from django.urls import path

from souk.orders import artisan_views as sales
from souk.orders import cart_views, guest_views, moderation_views, views

app_name = "orders"

urlpatterns = [
    path("cart/", cart_views.cart, name="cart"),
    path("cart/add/", cart_views.add_to_cart, name="add_to_cart"),
    path("cart/update/", cart_views.update_cart, name="update_cart"),
    path("cart/accept-changes/", cart_views.accept_cart_changes, name="accept_cart_changes"),
    path("checkout/", cart_views.checkout, name="checkout"),
    path("checkout/address-fields/", cart_views.address_fields, name="address_fields"),
    path("orders/", views.order_list, name="list"),
    path("orders/guest/<str:token>/", guest_views.guest_order, name="guest_order"),
    path("orders/guest/<str:token>/account/", guest_views.guest_account, name="guest_account"),
    path("orders/guest/<str:token>/attach/", guest_views.guest_attach, name="guest_attach"),
    path(
        "orders/guest/<str:token>/parcel/<str:reference>/received/",
        guest_views.guest_confirm_receipt,
        name="guest_confirm_receipt",
    ),
    path(
        "orders/guest/<str:token>/parcel/<str:reference>/message/",
        guest_views.guest_message,
        name="guest_message",
    ),
    path("orders/sales/", sales.artisan_list, name="artisan_list"),
    path("orders/sales/<str:reference>/", sales.artisan_detail, name="artisan_detail"),
    path("orders/sales/<str:reference>/accept/", sales.artisan_accept, name="artisan_accept"),
    path(
        "orders/sales/<str:reference>/decline/",
        sales.artisan_decline,
        name="artisan_decline",
    ),
    path(
        "orders/sales/<str:reference>/return-received/",
        sales.artisan_receive_return,
        name="artisan_receive_return",
    ),
    path(
        "orders/sales/<str:reference>/dispute/",
        sales.artisan_dispute,
        name="artisan_dispute",
    ),
    path(
        "orders/sales/<str:reference>/message/",
        sales.artisan_message,
        name="artisan_message",
    ),
    path(
        "orders/sales/<str:reference>/packing-slip.pdf",
        sales.packing_slip,
        name="packing_slip",
    ),
    path("orders/moderation/", moderation_views.moderation_list, name="moderation_list"),
    path(
        "orders/moderation/<str:reference>/",
        moderation_views.moderation_detail,
        name="moderation_detail",
    ),
    path(
        "orders/moderation/<str:reference>/step/",
        moderation_views.moderator_step,
        name="moderator_step",
    ),
    path(
        "orders/moderation/<str:reference>/message/",
        moderation_views.moderator_message,
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
