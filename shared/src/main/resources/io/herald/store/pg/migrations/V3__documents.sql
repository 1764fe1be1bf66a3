-- Read models kept by projections, as JSON documents by collection and id.
CREATE TABLE documents (
  collection text   NOT NULL,
  id         text   NOT NULL,
  seq        bigint NOT NULL,                    -- global position of the event that first wrote the document
  doc        jsonb  NOT NULL,
  CONSTRAINT documents_pkey PRIMARY KEY (collection, id)
);

CREATE INDEX documents_by_seq ON documents (collection, seq);
CREATE INDEX documents_by_content ON documents USING gin (doc jsonb_path_ops);
