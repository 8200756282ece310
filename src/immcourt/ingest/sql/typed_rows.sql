-- Trim and type every cell of {source}, in its order, and describe the cells set to NULL in `_issues`.
-- For the bulk file, `_ok` is false on the one-field marker rows that stand for set-aside lines; the caller
-- numbers the rows (a row's ordinal is its physical line) and drops the markers and the excluded keys.
-- `_comma` is true where a lone `,` after the last field was removed (checked only when the byte pass saw
-- a line ending in `,`).
WITH trimmed AS (
    SELECT {ok} AS _ok, {comma} AS _comma, {carried}{trimmed_columns} FROM {source}
), typed AS (
    SELECT _ok, _comma, {carried}{trimmed_names}, {typed_columns} FROM trimmed
)
SELECT {output_columns}, {carried}{issues} AS _issues, _ok, _comma FROM typed
