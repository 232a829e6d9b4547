-- The digest's categories and referrals are grouped by (scope, code) and
-- (scope, agency, state): indexes in that order let both engines group
-- while they scan, without sorting a third of a million rows first; the
-- period's bound is checked in the index, and the referral index carries
-- the days the on-time and overdue counts compare.
DROP INDEX item_categories_digest;
CREATE INDEX item_categories_digest ON item_categories(digest_scope, code, sort_key);
DROP INDEX referrals_digest;
CREATE INDEX referrals_digest ON referrals(digest_scope, agency, state, item_sort, due_on, answered_on);
