import json
from datetime import datetime, timedelta

import pytest

from zhifa.cases.payment import SIGNATURE_HEADER, PaymentRejected, SimulatedScanPay, derive_key
from zhifa.shared.clock import TZ

NOW = datetime(2022, 3, 20, 10, 0, tzinfo=TZ)
PAY = SimulatedScanPay(derive_key("test-secret"))


def test_good_callback_verifies():
    body, headers = PAY.build_callback(order_no="ZF1", amount_fen=100000, paid_at=NOW)
    data = PAY.verify_callback(body, headers, now=NOW)
    assert (data.order_no, data.amount_fen) == ("ZF1", 100000)


def test_tampered_body_is_refused():
    body, headers = PAY.build_callback(order_no="ZF1", amount_fen=100000, paid_at=NOW)
    p = json.loads(body)
    p["amount_fen"] = 1
    with pytest.raises(PaymentRejected, match="签名"):
        PAY.verify_callback(json.dumps(p, sort_keys=True).encode(), headers, now=NOW)


def test_signature_from_another_key_is_refused():
    other = SimulatedScanPay(derive_key("other-secret"))
    body, headers = other.build_callback(order_no="ZF1", amount_fen=100, paid_at=NOW)
    with pytest.raises(PaymentRejected, match="签名"):
        PAY.verify_callback(body, headers, now=NOW)


def test_missing_signature_is_refused():
    body, _ = PAY.build_callback(order_no="ZF1", amount_fen=100, paid_at=NOW)
    with pytest.raises(PaymentRejected):
        PAY.verify_callback(body, {}, now=NOW)


def test_stale_callback_is_refused_as_replay():
    body, headers = PAY.build_callback(order_no="ZF1", amount_fen=100, paid_at=NOW - timedelta(hours=1))
    with pytest.raises(PaymentRejected, match="过期"):
        PAY.verify_callback(body, headers, now=NOW)


def test_signed_garbage_is_refused_not_crashing():
    body = b"not json"
    with pytest.raises(PaymentRejected, match="格式"):
        PAY.verify_callback(body, {SIGNATURE_HEADER: PAY.sign(body)}, now=NOW)


def test_qr_payload_names_order_and_amount():
    qr = PAY.create_order(order_no="ZF9", amount_fen=123, description="罚款")
    assert qr.startswith("zhifa-simpay://pay?") and "order=ZF9" in qr and "amount_fen=123" in qr
