-- The bulk rows of a table keyed by a unique whole-number primary key: each row's physical line comes from the
-- key → line table the byte pass built (a parallel hash join, where numbering rows in order would need one
-- thread), the repaired rows are added with their own line, and DuckDB writes the Parquet file.
COPY (
    SELECT bulk.* EXCLUDE (_ok, _issues), lines.line AS _line, NULL::VARCHAR AS _repaired, bulk._issues
    FROM ({bulk}) AS bulk
    JOIN {lines} AS lines ON bulk.{key} = lines.key
    WHERE bulk._ok
    UNION ALL
    SELECT extra.* EXCLUDE (_ok, _line, _repaired, _issues), extra._line, extra._repaired, extra._issues
    FROM ({extra}) AS extra
) TO '{out}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880);
