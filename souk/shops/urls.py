from django.urls import path

from souk.shops import member_views, photo_views, views

app_name = "shops"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/<int:shop_id>/", views.moderation_detail, name="moderation_detail"),
    path(
        "moderation/<int:shop_id>/identity/",
        views.moderation_identity,
        name="moderation_identity",
    ),
    path(
        "moderation/<int:shop_id>/documents/",
        views.moderation_documents,
        name="moderation_documents",
    ),
    path("documents/<int:document_id>/", views.kyc_document, name="kyc_document"),
    path("manage/<int:shop_id>/", views.dashboard, name="dashboard"),
    path("manage/<int:shop_id>/profile/", views.edit_profile, name="edit_profile"),
    path("manage/<int:shop_id>/payout/", views.edit_payout, name="edit_payout"),
    path("manage/<int:shop_id>/photos/", photo_views.photos, name="photos"),
    path(
        "manage/<int:shop_id>/photos/order/",
        photo_views.reorder_photos,
        name="reorder_photos",
    ),
    path(
        "manage/<int:shop_id>/photos/<int:photo_id>/remove/",
        photo_views.remove_photo,
        name="remove_photo",
    ),
    path(
        "manage/<int:shop_id>/photos/<int:photo_id>/move/",
        photo_views.move_photo,
        name="move_photo",
    ),
    path("manage/<int:shop_id>/documents/", views.documents, name="documents"),
    path("manage/<int:shop_id>/submit/", views.submit, name="submit"),
    path("manage/<int:shop_id>/members/", member_views.members, name="members"),
    path(
        "manage/<int:shop_id>/members/<int:member_id>/remove/",
        member_views.remove_member,
        name="remove_member",
    ),
    path(
        "manage/<int:shop_id>/invitations/<int:invitation_id>/cancel/",
        member_views.cancel_invitation,
        name="cancel_invitation",
    ),
    path(
        "invitations/<int:invitation_id>/accept/",
        member_views.answer_invitation,
        {"answer": "accept"},
        name="accept_invitation",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        member_views.answer_invitation,
        {"answer": "decline"},
        name="decline_invitation",
    ),
    # Last: a shop's address may be any slug but the words above (slugs.RESERVED_SLUGS).
    path("<slug:slug>/", views.detail, name="detail"),
]
