"""The national artisan register (Registre National de l'Artisanat) as Souk keeps it.

Reference data (sectors, trades, regions) is keyed by its stable code (`S01`, `S01-T01`, `01`):
other apps refer to those codes, so reloading a corrected nomenclature updates names in place.
Register entries are keyed by their register number and upserted by `import_register`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core import crypto
from souk.core.fields import BlindIndexField, EncryptedTextField
from souk.core.storage import private_storage
from souk.core.translation import pick_translation

# What the CIN's blind index is derived for (souk.core.crypto.derived_key).
CIN_INDEX_PURPOSE = "registry.cin"


def cin_index_of(cin: str) -> str:
    """The blind index a normalised CIN is stored and looked up under ("" for none)."""
    return crypto.blind_index(cin, purpose=CIN_INDEX_PURPOSE)


class NamedInFourLanguages(models.Model):
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.pk} {self.name}"

    @property
    def name(self) -> str:
        """The name in the active language (every language is filled for reference data)."""
        return pick_translation(self, "name")[0]


class Source(models.TextChoices):
    OFFICIAL = "official", _("official")
    INFERRED = "inferred", _("inferred")
    CONFIRMED = "confirmed", _("confirmed")


class Family(models.TextChoices):
    PRODUCTION = "production", _("Art and production crafts")
    SERVICES = "services", _("Service crafts")


class Sector(NamedInFourLanguages):
    """A filière, e.g. S01 Pottery, ceramics and zellige."""

    code = models.CharField(_("code"), max_length=3, primary_key=True)
    family = models.CharField(_("family"), max_length=16, choices=Family.choices)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]


class WeightClass(models.TextChoices):
    LIGHT = "light", _("light (under 1 kg)")
    MEDIUM = "medium", _("medium (1 to 5 kg)")
    HEAVY = "heavy", _("heavy (5 to 20 kg)")
    BULKY = "bulky", _("bulky (over 20 kg or oversized)")


class Trade(NamedInFourLanguages):
    """A métier, e.g. S01-T02 Cooking pottery. A dropped trade stays, inactive, so history
    still resolves."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="trades"
    )
    sells_goods = models.BooleanField(_("sells goods"))
    default_hs_code = models.CharField(_("default HS code"), max_length=6, blank=True)
    weight_class = models.CharField(
        _("typical weight class"), max_length=8, choices=WeightClass.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    official_code = models.CharField(_("official code"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("trade")
        verbose_name_plural = _("trades")
        ordering = ["code"]

    @property
    def hs_code_display(self) -> str:
        """`691200` is shown as `6912.00`."""
        code = self.default_hs_code
        return f"{code[:4]}.{code[4:]}" if len(code) == 6 else code


class Region(NamedInFourLanguages):
    """One of Morocco's 12 regions, code `01` to `12` in the official order."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]


class Category(models.TextChoices):
    ARTISAN = "artisan", _("Artisan")
    MASTER_ARTISAN = "maitre_artisan", _("Master artisan")
    COOPERATIVE = "cooperative", _("Cooperative")
    COMPANY = "entreprise", _("Artisanal company")


PERSON_CATEGORIES = frozenset({Category.ARTISAN, Category.MASTER_ARTISAN})


class Qualification(models.TextChoices):
    DIPLOMA = "diplome", _("Diploma")
    EXPERIENCE_3Y = "experience_3y", _("3 years of practice")
    EXPERIENCE_10Y = "experience_10y", _("10 years of practice")


class EntryStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    STRUCK_OFF = "struck_off", _("Struck off")
    # Absent from the latest full export: kept, never deleted, with its shop's history.
    INACTIVE = "inactive", _("No longer in the register")


class RegisterEntry(models.Model):
    """One registered artisan, cooperative or artisanal company, as of the latest import."""

    register_number = models.CharField(_("register number"), max_length=32, unique=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    qualification = models.CharField(
        _("qualification"), max_length=16, choices=Qualification.choices, blank=True
    )
    # Encrypted at rest; looked up through cin_index (the claim compares indexes, operators
    # search by it), never by value. Normalised (services.normalize_cin) before it is set.
    cin = EncryptedTextField(_("national ID number (CIN)"), blank=True)
    cin_index = BlindIndexField(source="cin", purpose=CIN_INDEX_PURPOSE, db_index=True)
    last_name_fr = models.CharField(_("last name (French)"), max_length=100, blank=True)
    first_name_fr = models.CharField(_("first name (French)"), max_length=100, blank=True)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100, blank=True)
    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100, blank=True)
    legal_name_fr = models.CharField(_("legal name (French)"), max_length=200, blank=True)
    legal_name_ar = models.CharField(_("legal name (Arabic)"), max_length=200, blank=True)
    ice = models.CharField(_("ICE"), max_length=15, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=16, blank=True)
    trade = models.ForeignKey(
        Trade, verbose_name=_("trade"), on_delete=models.PROTECT, related_name="entries"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="entries"
    )
    province = models.CharField(_("province"), max_length=100, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    registered_at = models.DateField(_("registered on"))
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    # Digest of the imported columns: an unchanged row is recognised without comparing fields.
    content_hash = models.CharField(max_length=32, editable=False)
    # The last import whose file listed this entry. A full import stamps every row it reads,
    # then deactivates the rows it did not stamp, so it never holds the register in memory.
    # No index: each import rewrites this column on every row, and the deactivation scans the
    # table anyway.
    last_seen_import = models.ForeignKey(
        "RegisterImport",
        verbose_name=_("last seen in import"),
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="register_entry",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        indexes = [models.Index(fields=["trade", "region"])]

    def __str__(self) -> str:
        return f"{self.register_number} {self.display_name}"

    @property
    def is_person(self) -> bool:
        return self.category in PERSON_CATEGORIES

    @property
    def display_name(self) -> str:
        """Legal name for cooperatives and companies, first and last name for persons."""
        if not self.is_person:
            return self.legal_name_fr or self.legal_name_ar
        french = f"{self.first_name_fr} {self.last_name_fr}".strip()
        arabic = f"{self.first_name_ar} {self.last_name_ar}".strip()
        return french or arabic

    def name_in(self, language: str) -> str:
        """The name in the script of `language`: Arabic for "ar", else Latin; the other script
        when the register has only that one."""
        if self.is_person:
            french = f"{self.first_name_fr} {self.last_name_fr}".strip()
            arabic = f"{self.first_name_ar} {self.last_name_ar}".strip()
        else:
            french, arabic = self.legal_name_fr, self.legal_name_ar
        return (arabic or french) if language == "ar" else (french or arabic)

    @property
    def masked_register_number(self) -> str:
        """Shown on public pages: all but the last three characters hidden."""
        visible = self.register_number[-3:]
        return "•" * max(len(self.register_number) - 3, 3) + visible


class ImportKind(models.TextChoices):
    FULL = "full", _("Full export (entries absent from the file become inactive)")
    PARTIAL = "partial", _("Partial file (deactivates nothing)")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    REFUSED = "refused", _("Refused: not a register export")
    FAILED = "failed", _("Failed")


class RegisterImport(models.Model):
    """One import of a register file, from the command line or the back office."""

    source_file = models.FileField(
        _("file"), storage=private_storage, upload_to="register-imports/%Y/%m/", max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(
        _("kind"), max_length=8, choices=ImportKind.choices, default=ImportKind.FULL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    language = models.CharField(_("report language"), max_length=8, default="fr")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in file"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated_count = models.PositiveIntegerField(_("deactivated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # Rows imported without a doubtful value (a phone), listed in the report.
    warning_count = models.PositiveIntegerField(_("with warnings"), default=0)
    report_file = models.FileField(
        _("rejected rows report"),
        storage=private_storage,
        upload_to="register-imports/reports/",
        blank=True,
        max_length=255,
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int | None:
        if not self.total_rows:
            return None
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ClaimAttempt(models.Model):
    """One try at claiming a register entry; failed tries are counted to throttle guessing."""

    # Empty for a claim made while signing up that was refused: no account was kept.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="claim_attempts",
        null=True,
        blank=True,
    )
    register_number = models.CharField(_("register number"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("claim attempt")
        verbose_name_plural = _("claim attempts")
        indexes = [
            models.Index(fields=["user", "at"]),
            models.Index(fields=["ip_address", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.register_number} {self.succeeded}"
