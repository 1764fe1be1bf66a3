-- The content index over every document goes: collections that are listed by their fields ask for one of their own.
--
-- documents_by_content took every document of every collection, and most documents are never found by content: in
-- a load of orders it took 57 % of the bytes PostgreSQL wrote to its log (its entries for the audit collection,
-- one document per event, most of all) and was never scanned. PgDocumentStore.indexContent(collection) now creates
-- a partial GIN index for one collection, and a find on a collection without one reads it in seq order instead.
DROP INDEX IF EXISTS documents_by_content;
