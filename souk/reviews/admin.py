from django.contrib import admin

from souk.reviews.models import Review, ReviewAnswer, ReviewReport


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ("id", "product", "shop", "stars", "language", "status", "created_at")
    list_filter = ("status", "language", "stars")
    # Hide and restore go through the moderation queue, which keeps the ratings and audit.
    readonly_fields = ("status", "status_reason", "stars", "order_line", "buyer", "product", "shop")


@admin.register(ReviewAnswer)
class ReviewAnswerAdmin(admin.ModelAdmin[ReviewAnswer]):
    list_display = ("review", "author", "created_at")


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin[ReviewReport]):
    list_display = ("review", "reporter", "reason", "is_open", "created_at")
    list_filter = ("reason", "is_open")
