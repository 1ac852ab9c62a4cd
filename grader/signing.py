"""HMAC signatures on JSON reports (and on the grader.toml of a kit, below).

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


# --- signed assessment files (grader kit) ---------------------------------------------------------------------
#
# A kit's grader.toml, written by `grader kit` with the key set, ends with one
# TOML comment line:
#
#     # grader-signature: hmac-sha256:<key_id>:<hex>
#
# where <hex> is the HMAC-SHA256 with the key over every byte before that
# line (the "body"). The signature line is the file's last line (only
# whitespace may follow it); anything else after it, or any edit above it,
# breaks the signature.

FILE_SIGNATURE_PREFIX = "# grader-signature: "


def split_file_signature(data: bytes) -> tuple[bytes, str | None]:
    """(the body, the signature line's value) of a file's bytes; (data, None)
    when its last line is not a signature line."""
    stripped = data.rstrip(b" \t\r\n")
    start = stripped.rfind(b"\n") + 1
    last = stripped[start:]
    prefix = FILE_SIGNATURE_PREFIX.encode()
    if not last.startswith(prefix):
        return data, None
    return data[:start], last[len(prefix):].decode("utf-8", "replace").strip()


def _file_mac(body: bytes, key: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def sign_file(data: bytes, key: bytes) -> bytes:
    """The file's bytes with its signature line (any old one replaced); a
    body that does not end with a newline gets one."""
    body, _ = split_file_signature(data)
    if body and not body.endswith(b"\n"):
        body += b"\n"
    return body + f"{FILE_SIGNATURE_PREFIX}{ALGORITHM}:{key_id(key)}:{_file_mac(body, key)}\n".encode()


def verify_file(data: bytes, key: bytes) -> Check:
    """Whether the file's bytes end with a valid signature line made with ``key``."""
    body, value = split_file_signature(data)
    if value is None:
        return Check(False, "it carries no signature line (`grader kit` writes one as its last line when "
                            f"{ENV_VAR} is set)")
    parts = value.split(":")
    if len(parts) != 3 or parts[0] != ALGORITHM:
        return Check(False, f"its signature line is malformed (expected {ALGORITHM}:<key_id>:<hex>)")
    if parts[1] != key_id(key):
        return Check(False, f"it was signed with another key (key_id {parts[1]}; the key in {ENV_VAR} has "
                            f"key_id {key_id(key)})")
    if not hmac.compare_digest(_file_mac(body, key).encode(), parts[2].encode("utf-8", "replace")):
        return Check(False, "its signature does not match its content: it was changed after it was signed")
    return Check(True, f"valid signature (key_id {key_id(key)})")
