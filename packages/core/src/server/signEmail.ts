import { createHmac } from "node:crypto";

/**
 * The signature Crisp's identity verification expects for `user:email`: HMAC-SHA256 of the email with your
 * website's verification secret, as lowercase hex. Run it on your server only; never ship the secret.
 *
 * @example
 * const emailSignature = signEmail(user.email, process.env.CRISP_VERIFY_SECRET!);
 * // browser: client.login({ id: user.id, email: user.email, emailSignature })
 */
export function signEmail(email: string, secret: string): string {
  return createHmac("sha256", secret).update(email).digest("hex");
}
