-- The store port's documents and blobs (decisions 0003, 0006, 0010), and one version per
-- sandbox, bumped by every transaction that writes it (decision 0012).
-- Collections are compared byte by byte (COLLATE "C") so a prefix scan uses the primary key.
CREATE TABLE sandbank_documents (
  collection text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  -- JSON text as the engine wrote it: parsed by the engine, never queried inside.
  value text NOT NULL,
  PRIMARY KEY (collection, id)
);

CREATE TABLE sandbank_blobs (
  collection text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (collection, id)
);

CREATE TABLE sandbank_sandbox_versions (
  sandbox_id text COLLATE "C" PRIMARY KEY,
  version bigint NOT NULL
);
