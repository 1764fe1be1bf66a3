-- The content index over every document goes: collections that are listed by their fields ask for one of their own.
--
-- documents_by_content took every document of every collection, and most documents are never found by content: in
-- a load of orders it took 57 % of the bytes PostgreSQL wrote to its log (its entries for the audit collection,
-- one document per event, most of all) and was never scanned. A collection now asks for what it is matched on:
-- PgDocumentStore.indexField(collection, field), a b-tree over one field, or indexContent(collection), a GIN index
-- over its documents; both cover that collection alone. A find without a fitting index reads the collection in seq order.
DROP INDEX IF EXISTS documents_by_content;
