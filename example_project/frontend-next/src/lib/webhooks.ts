// Standard Webhooks (https://www.standardwebhooks.com/) signature check, as our deliveries
// sign them (mmm_wagtail/webhooks/signing.py): base64(HMAC-SHA256(secret, id.timestamp.body)),
// the secret being "whsec_" + base64; several space-separated "v1,<sig>" may be sent.
// node:crypto, 20 lines: the standardwebhooks package does the same with two dependencies.
import { createHmac, timingSafeEqual } from "node:crypto";

const TOLERANCE_SECONDS = 5 * 60;

export function verify(secret: string, headers: Headers, body: string, now = Date.now() / 1000): boolean {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !timestamp || !signatures || !secret.startsWith("whsec_")) return false;
  if (!/^[0-9]+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(" ").some((entry) => {
    const [version, signature] = entry.split(",", 2);
    if (version !== "v1" || !signature) return false;
    const given = Buffer.from(signature, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

