"""HMAC signatures on JSON reports.

With ``GRADER_SIGNING_KEY`` set (non-empty), every JSON report that
``grader submit`` and ``grader grade`` write or print carries

    "signature": {"algorithm": "hmac-sha256", "key_id": "<16 hex>", "value": "<hex>"}

computed over the canonical JSON of the report without ``signature``
(sorted keys, no spaces, UTF-8), after feedback redaction: it signs exactly
what is written. A valid signature proves the report was produced by
someone holding the key and not edited since; it says nothing about how
the grading was done (see the README's section for assessors).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os

ENV_VAR = "GRADER_SIGNING_KEY"
ALGORITHM = "hmac-sha256"


def signing_key() -> bytes | None:
    """The key from the environment, or None when unset or empty."""
    value = os.environ.get(ENV_VAR, "")
    return value.encode("utf-8") if value else None


def key_id(key: bytes) -> str:
    """Names a key without revealing it: the first 16 hex digits of its sha256."""
    return hashlib.sha256(key).hexdigest()[:16]


def canonical(report: dict) -> bytes:
    body = {name: value for name, value in report.items() if name != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(report: dict, key: bytes) -> dict:
    """A copy of ``report`` with its signature (any old one replaced)."""
    body = {name: value for name, value in report.items() if name != "signature"}
    value = hmac.new(key, canonical(body), hashlib.sha256).hexdigest()
    return {**body, "signature": {"algorithm": ALGORITHM, "key_id": key_id(key), "value": value}}


def sign_if_configured(report: dict) -> dict:
    key = signing_key()
    return sign(report, key) if key else report


def publish(report: dict, level: str = "full", label: str | None = None) -> dict:
    """The report as it is written out: redacted to ``level``, with the
    submission's ``label`` (batch output) first, then signed when a key is
    set. Without a key, an old signature stays only if it still covers
    exactly this object; otherwise it is dropped (it could not verify)."""
    from grader.report.feedback import redact

    body = {name: value for name, value in report.items() if name != "signature"}
    if label is not None:
        body = {"submission": label, **{name: value for name, value in body.items() if name != "submission"}}
    shown = redact(body, level)
    key = signing_key()
    if key:
        return sign(shown, key)
    if "signature" in report and shown == {n: v for n, v in report.items() if n != "signature"}:
        return {**shown, "signature": report["signature"]}
    return shown


@dataclasses.dataclass(frozen=True)
class Check:
    ok: bool
    message: str


def verify(report: dict, key: bytes) -> Check:
    """Whether ``report`` carries a valid signature made with ``key``."""
    signature = report.get("signature")
    if signature is None:
        return Check(False, "not signed: the report has no signature (it was written without "
                            f"{ENV_VAR} set, or the signature was removed)")
    if not isinstance(signature, dict) or not isinstance(signature.get("value"), str):
        return Check(False, "the signature field is malformed (expected algorithm, key_id and value)")
    if signature.get("algorithm") != ALGORITHM:
        return Check(False, f"unknown signature algorithm {signature.get('algorithm')!r} (expected {ALGORITHM})")
    if signature.get("key_id") != key_id(key):
        return Check(False, f"signed with another key: the report's key_id is {signature.get('key_id')}, "
                            f"the key in {ENV_VAR} has key_id {key_id(key)}")
    expected = hmac.new(key, canonical(report), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature["value"].encode("utf-8", "replace")):
        return Check(False, "signature does not match: the report was changed after it was signed")
    return Check(True, f"valid signature (key_id {key_id(key)})")
