-- +goose Up
-- A provider link works until a final answer (used_at), its expiry, or its
-- revocation: a newer link for the same referral ('replaced'), or the
-- referral answered or closed by any path (the status it moved to).
ALTER TABLE referral_links ADD COLUMN revoked_at timestamptz;
ALTER TABLE referral_links ADD COLUMN revoked_reason text NOT NULL DEFAULT '';

-- The link e-mailed to the provider from Brug goes through the worker's
-- outbox, as the contact form's confirmation does: queued in the same
-- transaction as the link, sent with retries, never lost.
ALTER TABLE referral_links ADD COLUMN mail_status text NOT NULL DEFAULT 'none'
    CHECK (mail_status IN ('none', 'queued', 'sending', 'sent', 'failed', 'cancelled'));
ALTER TABLE referral_links ADD COLUMN mail_language text NOT NULL DEFAULT '';
ALTER TABLE referral_links ADD COLUMN mail_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE referral_links ADD COLUMN mail_next_at timestamptz;
CREATE INDEX referral_links_mail_idx ON referral_links (mail_status, mail_next_at);

-- Links spent by an acknowledgement work again (acknowledging is a step, not
-- an answer); a link with a newer one beside it was replaced when that one
-- was made.
UPDATE referral_links SET used_at = NULL, used_action = '' WHERE used_action = 'acknowledge';
UPDATE referral_links SET revoked_reason = 'replaced',
       revoked_at = (SELECT min(n.created_at) FROM referral_links n
                     WHERE n.referral_id = referral_links.referral_id AND n.created_at > referral_links.created_at)
 WHERE used_at IS NULL AND EXISTS (SELECT 1 FROM referral_links n
                     WHERE n.referral_id = referral_links.referral_id AND n.created_at > referral_links.created_at);

-- +goose Down
DROP INDEX referral_links_mail_idx;
ALTER TABLE referral_links DROP COLUMN mail_next_at;
ALTER TABLE referral_links DROP COLUMN mail_attempts;
ALTER TABLE referral_links DROP COLUMN mail_language;
ALTER TABLE referral_links DROP COLUMN mail_status;
ALTER TABLE referral_links DROP COLUMN revoked_reason;
ALTER TABLE referral_links DROP COLUMN revoked_at;
