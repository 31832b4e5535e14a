"""Payment channel (扫码缴款, C6): a provider Protocol and a simulated scan-to-pay provider.

The provider makes a QR payload for an order and, when "paid", posts a JSON callback signed with
HMAC-SHA256 (header `X-Zhifa-Signature`) to `/api/payments/callback`. Each callback carries a nonce and
a timestamp; the service refuses a bad signature, a stale timestamp, a reused nonce, a second callback
for a paid order, and a wrong amount — and records every refusal.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlencode

from zhifa.shared.errors import ValidationFailed

SIGNATURE_HEADER = "x-zhifa-signature"
MAX_CALLBACK_AGE_S = 600


class PaymentRejected(ValidationFailed):
    """A callback that must not move any case."""


@dataclass(frozen=True)
class CallbackData:
    order_no: str
    txn_id: str
    amount_fen: int
    nonce: str
    paid_at: datetime


class PaymentProvider(Protocol):
    name: str

    def create_order(self, *, order_no: str, amount_fen: int, description: str) -> str:
        """Return the QR payload the party scans."""
        ...

    def verify_callback(self, body: bytes, headers: Mapping[str, str], *, now: datetime) -> CallbackData:
        """Check the signature and freshness; raise PaymentRejected otherwise."""
        ...


def derive_key(secret_key: str, purpose: str = "payments.simulated") -> bytes:
    return hmac.new(secret_key.encode("utf-8"), purpose.encode("utf-8"), hashlib.sha256).digest()


class SimulatedScanPay:
    """A stand-in for a bank's scan-to-pay gateway, sharing an HMAC key with the platform."""

    name = "simulated_scan_pay"

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_settings(cls, settings: object) -> SimulatedScanPay:
        return cls(derive_key(str(getattr(settings, "secret_key", ""))))

    def sign(self, body: bytes) -> str:
        return hmac.new(self._key, body, hashlib.sha256).hexdigest()

    def create_order(self, *, order_no: str, amount_fen: int, description: str) -> str:
        q = urlencode({"order": order_no, "amount_fen": amount_fen, "desc": description[:40]})
        return f"zhifa-simpay://pay?{q}&sig={self.sign(q.encode('utf-8'))[:16]}"

    def build_callback(
        self, *, order_no: str, amount_fen: int, paid_at: datetime, txn_id: str | None = None, nonce: str | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """What the gateway posts once the party has paid."""
        payload = {
            "order_no": order_no,
            "txn_id": txn_id or "SIM" + secrets.token_hex(8).upper(),
            "amount_fen": int(amount_fen),
            "nonce": nonce or secrets.token_hex(12),
            "paid_at": paid_at.isoformat(),
            "status": "SUCCESS",
        }
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return body, {SIGNATURE_HEADER: self.sign(body), "content-type": "application/json"}

    def post_callback(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        import httpx

        return httpx.post(url, content=body, headers=dict(headers), timeout=10).status_code

    def verify_callback(self, body: bytes, headers: Mapping[str, str], *, now: datetime) -> CallbackData:
        sent = {k.lower(): v for k, v in headers.items()}.get(SIGNATURE_HEADER, "")
        if not sent or not hmac.compare_digest(self.sign(body), sent):
            raise PaymentRejected("支付回调签名无效", en="Invalid payment callback signature")
        try:
            p = json.loads(body.decode("utf-8"))
            data = CallbackData(
                order_no=str(p["order_no"]),
                txn_id=str(p["txn_id"]),
                amount_fen=int(p["amount_fen"]),
                nonce=str(p["nonce"]),
                paid_at=datetime.fromisoformat(p["paid_at"]),
            )
            status = p.get("status")
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise PaymentRejected(f"支付回调格式错误：{exc}", en=f"Malformed payment callback: {exc}") from exc
        if status != "SUCCESS":
            raise PaymentRejected("支付未成功", en="The payment did not succeed")
        if data.paid_at.tzinfo is None:
            raise PaymentRejected("支付时间缺少时区", en="The payment time has no time zone")
        age = abs((now - data.paid_at).total_seconds())
        if age > MAX_CALLBACK_AGE_S:
            raise PaymentRejected("支付回调已过期（疑似重放）", en="The payment callback has expired (possible replay)")
        return data
