-- The documents' content index takes each document as it is written, instead of through a pending list.
--
-- With GIN's default fastupdate, new entries go to a pending list that is merged into the index by VACUUM, or by
-- the insert that finds the list over gin_pending_list_limit (4 MB). Without autovacuum that insert is always a
-- read model's page transaction: in a 30-minute soak at 110 orders/s, one page in a few hundred stalled for up to
-- 1.2 s merging the list into an index of 320 MB, every minute or so, and the stalls grew with the index. Writing
-- each entry as it comes costs a little on every page and stalls none of them.
ALTER INDEX documents_by_content SET (fastupdate = off);
-- what an existing store has pending goes into the index now, once
SELECT gin_clean_pending_list('documents_by_content'::regclass);
