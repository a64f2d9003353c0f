"""EMVCo QR payloads: the CRC and the encoding, against published examples."""

from __future__ import annotations

import pytest

from souk.payments.gateways import emv_qr

PUBLISHED = [
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN"
    "5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京"
    "540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708"
    "123456786304A13A",
    "00020101021252044131153137210116372101160123456789ABCDE6016Banteay Meanchey5913Kuntheas Shop"
    "5802KH540510.005303840621201081234567863041FF2",
    "00020101021129370016A000000677010111011300669245317755802TH54076000.00530376463049B3B",
    "0002010102121516ABCDEF123456789052045311530339254039995802JP5906DONGRI6005TOKYO62240104hoge"
    "0504fuga0704piyo63043FE6",
]


def test_crc_check_value():
    assert emv_qr.crc16_ccitt_false(b"123456789") == "29B1"


@pytest.mark.parametrize("payload", PUBLISHED)
def test_published_payloads_decode_and_reencode_identically(payload):
    objects = emv_qr.decode(payload)

    assert emv_qr.encode(objects[:-1]) == payload


def test_a_moroccan_payload_is_built_with_the_reference_crc():
    payload = emv_qr.encode(
        [
            ("00", "01"),
            ("01", "12"),
            ("26", "0018COM.EXAMPLE.WALLET0112MA0000123456"),
            ("52", "5970"),
            ("53", "504"),
            ("54", "250.00"),
            ("58", "MA"),
            ("59", "COOPERATIVE TAPIS"),
            ("60", "MARRAKECH"),
            ("62", "0507ORD0001"),
        ]
    )

    assert payload == (
        "00020101021226380018COM.EXAMPLE.WALLET0112MA00001234565204597053035045406250.005802MA"
        "5917COOPERATIVE TAPIS6009MARRAKECH62110507ORD00016304AEA8"
    )


def test_a_payload_with_a_wrong_crc_is_refused():
    with pytest.raises(emv_qr.PayloadError, match="CRC"):
        emv_qr.decode(PUBLISHED[2][:-4] + "0000")
