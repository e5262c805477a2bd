-- The sandbox version each document was written at (decision 0012): a server whose copy of a
-- sandbox is at version v reads again only the documents written after v, not the whole sandbox.
ALTER TABLE sandbank_documents ADD COLUMN written_at_version bigint NOT NULL DEFAULT 0;
CREATE INDEX sandbank_documents_by_version ON sandbank_documents (collection, written_at_version);
