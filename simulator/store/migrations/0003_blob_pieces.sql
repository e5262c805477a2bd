-- Uploads streamed into the database as they arrive (decision 0014): a blob larger than what a
-- server keeps in memory is written as pieces of one upload (a random id), and its row in
-- sandbank_blobs names the upload instead of holding the bytes. Pieces of an upload no blob
-- names (a server killed mid-upload) are invisible, and removed a day later.
CREATE TABLE sandbank_blob_pieces (
  upload uuid NOT NULL,
  seq integer NOT NULL,
  bytes bytea NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (upload, seq)
);
CREATE INDEX sandbank_blob_pieces_by_age ON sandbank_blob_pieces (written_at);

ALTER TABLE sandbank_blobs ALTER COLUMN bytes DROP NOT NULL;
ALTER TABLE sandbank_blobs ADD COLUMN upload uuid;
ALTER TABLE sandbank_blobs ADD CONSTRAINT sandbank_blobs_bytes_or_upload CHECK ((bytes IS NULL) <> (upload IS NULL));
CREATE INDEX sandbank_blobs_by_upload ON sandbank_blobs (upload) WHERE upload IS NOT NULL;
