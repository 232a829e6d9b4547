// Package translog is homthu's transparency log: an append-only Merkle tree
// (RFC 6962 hashing, as golang.org/x/mod/sumdb/tlog computes it) of
// commitments to every item received and, as they come, every letter
// registered at a monthly opening, every sealed opening, referral and answer.
// It lets a citizen prove, with nothing but a proof bundle and the log's
// public key, that their letter was received and is still in the log, and
// lets anyone check that the log only ever grew. Regulation 124-QĐ/TW asks
// the Front to receive people's opinions "in time" and to report them; this
// package makes "no letter vanishes without a trace" checkable from outside.
//
// # What is in the log
//
// A leaf (Leaf, encoded by Leaf.MarshalBinary) is one line of text:
//
//	homthu/v1 <kind> <unit code> <YYYY-MM> <base64 commitment>
//
// The commitment is SHA-256 over a domain prefix, the kind, a 32-byte secret
// random salt and the hash of the record's text (Commit, HashText). A leaf
// never carries content, names, contact data, network data or a time finer
// than the month. The salt and the text hash form the Opening, which homthu
// keeps with the record and hands only to the holder of its receipt.
//
// # How records enter the log
//
// Whoever commits a record inserts its leaf into the outbox table
// log_pending(id, leaf, ref) in the same transaction (NewLeaf gives the
// leaf and the opening). A sequencer (Log.Run, in every homthu serve) moves
// the outbox into the tree in batches, inside one transaction that holds an
// exclusive append lock (Store.Sequence), so several processes sharing one
// PostgreSQL append in turn, and a crash between a record's commit and its
// append loses nothing: the row waits in the outbox for the next round.
//
// # Checkpoints, tiles, keys
//
// Checkpoints follow C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint)
// and are signed notes (https://c2sp.org/signed-note) by the log's Ed25519
// key, whose name is the origin line, e.g. "homthu.example/log"
// (GenerateKey, VerifierKey). Log.Handler serves the log as C2SP tlog-tiles
// (https://c2sp.org/tlog-tiles) specifies: /log/checkpoint, hash tiles of
// height 8 at /log/tile/<L>/<N>[.p/<W>], entry bundles at
// /log/tile/entries/<N>[.p/<W>], and /log/key, so that tlog tools and
// independent monitors can follow it.
//
// # Proofs
//
// Log.Proof builds a Bundle for a record: index, leaf, leaf hash, inclusion
// proof (as tlog.CheckRecord takes it), the signed checkpoint the proof is
// against, and the opening. Until the latest checkpoint covers the record,
// it returns ErrPending (the API answers 409 with Retry-After:
// Log.RetryAfter). Verify checks a bundle with the verifier key alone.
//
// # Auditing and monitoring
//
// Audit replays the whole log from the database and checks every leaf and
// stored hash, and the root at the size of every checkpoint it is given.
// Monitor follows a log over HTTP, keeps the last checkpoint it found
// consistent in a file, and reports ErrInconsistent when a new checkpoint
// is not consistent with it. A log checked only against its own latest
// signature proves nothing against whoever holds both its database and its
// key: they can rewrite the leaves, recompute every hash and sign again.
// Only checkpoints kept outside — a monitor's state, a witness's cosigned
// checkpoint, the checkpoint in a citizen's bundle — catch that, and both
// Audit and Monitor use them.
//
// # Witnesses
//
// A witness (C2SP tlog-cosignature, https://c2sp.org/tlog-cosignature) is a
// Monitor with a Cosigner: after each consistent check it cosigns the
// checkpoint with its own Ed25519 cosignature key (GenerateCosignerKey,
// NewCosigner) and saves the cosigned note as "<origin>.cosigned" in its
// state directory. To have a witness:
//
//  1. the witness runs GenerateCosignerKey and gives its verifier key
//     ("<name>+<id>+<base64>") to the log's operator, who adds it to
//     Config.Witnesses (homthu's configuration);
//  2. the witness runs the monitor with its cosigner key against the
//     log's URL;
//  3. the cosigned checkpoints it produces are handed to the log
//     (Log.AddCosignatures, exposed by the CLI or an admin action), which
//     checks them against its own checkpoint of the same size and records
//     them. /log/checkpoint then serves them after the log's signature while
//     that checkpoint is the latest, proof bundles carry them, and
//     Verify(b, key, witnessKeys...) can require them.
//
// # Anonymity
//
// The log must not help anyone find out who wrote what, nor when an
// anonymous item arrived more precisely than homthu itself records it.
//
//   - The public log holds commitments, never content or identity. The
//     salt is 32 random bytes, so even someone who knows or guesses the text
//     of a letter (the cadre it is about, once it has been referred) cannot
//     find its leaf. What the log does reveal is how many records of each
//     kind each unit had each month, which the public statistics show anyway.
//   - Order: the leaves of a batch are shuffled (ChaCha8 seeded from
//     crypto/rand) before they are appended, so their order inside the batch
//     says nothing of arrival order.
//   - Timing: rounds run on a fixed clock schedule (multiples of
//     Config.Interval, 30 s by default), not on arrivals, and the handler
//     serves nothing beyond the latest checkpoint. A pending row carries a
//     due time (log_pending.due): homthu makes an anonymous item's leaf due
//     at the end of its day (Vietnam time), so all the anonymous items of a
//     day enter the tree together, in one shuffled batch after midnight, and
//     the log tells no more than their date — the same as homthu itself
//     keeps. Named items (whose time homthu records anyway), and the other
//     kinds of records, are due at once and enter at the next round.
//     Anonymous receipts therefore get their proof the next day; until then
//     the API answers 409 with a Retry-After that reaches past midnight.
//   - Receipts: a bundle contains the leaf, the opening and the proof — no
//     name, no contact, no receipt code. Holding a bundle shows that one
//     holds the opening of a commitment, not that one wrote the letter:
//     anyone who has the receipt can fetch the same bundle, and homthu knows
//     every opening. So a bundle a submitter is made to show proves to a
//     third party what text was received, never who sent it; and the log
//     gives the third party nothing to link the bundle to a person.
//
// # Measured
//
// On the development machine (2 vCPU AMD EPYC, Go 1.26) while other builds
// ran (load 5 to 16, so the figures are pessimistic: a bare Ed25519
// signature took 58–92 µs there, against about 24 µs on a quiet machine);
// `go test -bench . ./internal/translog ./internal/store`:
//
//	NewLeaf + MarshalBinary (per submission)      1.9 µs
//	outbox INSERT in the submission's transaction 40 µs SQLite, 240 µs PostgreSQL (one round trip), per row
//	Log.Sequence, batches of 1000, MemStore       4.2–6.7 µs/leaf (150,000–240,000 leaves/s)
//	Log.Sequence, batches of 1000, database       47,000 leaves/s SQLite, 22,000 leaves/s PostgreSQL
//	Ed25519 checkpoint signature (note.Sign)      43–130 µs
//	Log.Sign (tree hash, consistency, signature)  0.32–0.37 ms at 100,000 leaves
//	Log.Proof at 1,000,000 leaves                 0.22 ms; 20 hashes = 640 bytes of proof, 1,463-byte JSON bundle
//	Verify at 1,000,000 leaves                    0.18 ms
//	Audit of 1,000,000 leaves (MemStore)          6.4 s (156,000 leaves/s), memory O(log n)
//
// A submission pays NewLeaf and one INSERT into log_pending; hashing and
// signing happen in the sequencer, off the submission's path, once per
// interval.
package translog
