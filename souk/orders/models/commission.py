"""The platform's commission rates, a reference table staff maintain."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from souk.registry.models import Sector


class CommissionRate(models.Model):
    """The platform's share of a line's price, per sector (or for every sector when blank),
    from a date on. The rate in force on the order's date applies; cooperatives may have a lower
    rate of their own."""

    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave blank for the rate of every sector without its own."),
    )
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4)
    cooperative_rate = models.DecimalField(
        _("rate for cooperatives"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    effective_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        ordering = ["sector_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "effective_from"], name="commission_rate_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lt=1), name="commission_rate_is_a_share"
            ),
            models.CheckConstraint(
                condition=Q(cooperative_rate__isnull=True)
                | Q(cooperative_rate__gte=0, cooperative_rate__lt=1),
                name="commission_cooperative_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector_id or '*'} {self.rate} ({self.effective_from})"
