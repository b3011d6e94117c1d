// Small pure helpers of the second-factor screens.

/** A base32 key in groups of four, easier to type from a screen. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

