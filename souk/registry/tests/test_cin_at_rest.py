"""The CIN at rest: encrypted in its column, found through its blind index, rotatable."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.crypto import generate_field_key
from souk.core.encrypted_columns import EncryptedColumn, decrypt_column, encrypt_column
from souk.registry import services
from souk.registry.models import RegisterEntry
from souk.registry.tests.factories import make_register_entry
from souk.registry.tests.register_files import artisan, import_register, write_register

pytestmark = pytest.mark.django_db

CIN_COLUMN = EncryptedColumn(
    table="registry_registerentry",
    column="cin",
    index_column="cin_index",
    index_purpose="registry.cin",
)


def stored_cin(entry_id: int) -> tuple[str, str]:
    """The CIN and its index as the database holds them, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cin, cin_index FROM registry_registerentry WHERE id = %s", [entry_id]
        )
        cin, cin_index = cursor.fetchone()
    return str(cin), str(cin_index)


def test_an_imported_cin_is_stored_encrypted_and_read_back(tmp_path):
    # given
    path = write_register(tmp_path / "register.csv", [artisan("A-001", cin="jb 4567")])
    # when
    import_register(path)
    # then
    entry = RegisterEntry.objects.get()
    raw_cin, raw_index = stored_cin(entry.pk)
    assert entry.cin == "JB4567"
    assert "JB4567" not in raw_cin
    assert raw_cin.startswith("gAAAAA")
    assert len(raw_index) == 64
    assert "JB4567" not in raw_index


def test_an_unchanged_row_imported_again_keeps_its_token(tmp_path):
    # given
    path = write_register(tmp_path / "register.csv", [artisan("A-001", cin="JB4567")])
    import_register(path)
    first = stored_cin(RegisterEntry.objects.get().pk)
    # when
    import_register(path)
    # then
    entry = RegisterEntry.objects.get()
    assert stored_cin(entry.pk) == first
    assert entry.cin == "JB4567"


def test_the_claim_finds_the_entry_by_the_index_of_its_cin(client):
    # given
    entry = make_register_entry(cin="BE123456")
    user = make_user()
    client.force_login(user)
    # when
    response = client.post(
        "/en/sell/",
        {"register_number": entry.register_number, "cin": "be 123456"},
    )
    # then
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.claimed_by_id == user.pk
    assert "BE123456" not in stored_cin(entry.pk)[0]


def test_an_operator_finds_an_entry_by_its_cin_in_the_back_office(client):
    # given
    wanted = make_register_entry(cin="JB4567", last_name_fr="Alaoui")
    make_register_entry(cin="JB4568", last_name_fr="Berrada")
    client.force_login(accounts.grant_role(user=make_user(), role=Role.MODERATOR))
    # when
    response = client.get("/en/admin/registry/registerentry/", {"q": "jb4567"})
    # then
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_rotation_re_encrypts_every_cin_under_the_new_first_key(settings):
    # given
    old_key, new_key = generate_field_key(), generate_field_key()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    entry = make_register_entry(cin="BE123456")
    under_old_key = stored_cin(entry.pk)
    # when
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=io.StringIO())
    # then
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    after = stored_cin(entry.pk)
    assert after[0] != under_old_key[0]
    assert after[1] == under_old_key[1]
    assert RegisterEntry.objects.get(pk=entry.pk).cin == "BE123456"
    claimed = services.claim_register_entry(
        user=make_user(), register_number=entry.register_number, cin="BE123456", ip_address=None
    )
    assert claimed.pk == entry.pk


def test_a_cin_under_a_dropped_key_is_a_configuration_error_not_garbage(settings):
    # given
    settings.FIELD_ENCRYPTION_KEYS = [generate_field_key()]
    entry = make_register_entry(cin="BE123456")
    # when
    settings.FIELD_ENCRYPTION_KEYS = [generate_field_key()]
    # then
    with pytest.raises(Exception, match="SOUK_FIELD_KEYS") as error:
        RegisterEntry.objects.get(pk=entry.pk)
    assert type(error.value).__name__ == "ImproperlyConfigured"


def test_the_migration_encrypts_cins_stored_in_clear_and_its_reverse_restores_them():
    # given: a row as it was before the migration, its CIN in clear and no index
    entry = make_register_entry(cin="BE123456")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_registerentry SET cin = %s, cin_index = '' WHERE id = %s",
            ["BE123456", entry.pk],
        )
    # when
    encrypted = encrypt_column(connection, CIN_COLUMN)
    encrypted_again = encrypt_column(connection, CIN_COLUMN)
    # then
    raw_cin, raw_index = stored_cin(entry.pk)
    assert (encrypted, encrypted_again) == (1, 0)
    assert raw_cin.startswith("gAAAAA")
    assert RegisterEntry.objects.get(pk=entry.pk).cin == "BE123456"
    assert raw_index == RegisterEntry.objects.get(pk=entry.pk).cin_index != ""
    # when reversed
    decrypt_column(connection, CIN_COLUMN)
    # then
    assert stored_cin(entry.pk) == ("BE123456", "")


@override_settings(BLIND_INDEX_KEY="another key of at least thirty-two characters")
def test_the_content_hash_of_a_row_depends_on_the_blind_index_key(tmp_path):
    # given: the CIN is in the content hash, whose other values are stored in clear
    path = write_register(tmp_path / "register.csv", [artisan("A-001", cin="JB4567")])
    import_register(path)
    with_this_key = RegisterEntry.objects.get().content_hash
    # when
    with override_settings(BLIND_INDEX_KEY="yet another key, thirty-two characters long"):
        RegisterEntry.objects.all().delete()
        import_register(path)
    # then
    assert RegisterEntry.objects.get().content_hash != with_this_key
