from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "souk.orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from souk.orders.receivers import merge_cart_at_login

        user_logged_in.connect(merge_cart_at_login, dispatch_uid="orders.merge_cart_at_login")
        # The header's cart count and the saved address's country (the delivery line), read
        # with the visitor's other answers (core/visitor_state.py).
        from souk.core import visitor_state
        from souk.orders.models import Cart, CartItem, SavedAddress

        items, carts = CartItem._meta.db_table, Cart._meta.db_table
        addresses = SavedAddress._meta.db_table
        cart_sql = (
            f"SELECT COALESCE(SUM(i.quantity), 0) FROM {items} i JOIN {carts} c"  # noqa: S608
            " ON c.id = i.cart_id WHERE c.user_id = %s"
        )
        # The order of SavedAddress.Meta.ordering: the address get_saved_address reads.
        country_sql = (
            f"SELECT country FROM {addresses} WHERE user_id = %s"  # noqa: S608
            " ORDER BY last_used_at DESC, id DESC LIMIT 1"
        )
        visitor_state.register("orders.cart_items", cart_sql)
        visitor_state.register("orders.saved_country", country_sql)
