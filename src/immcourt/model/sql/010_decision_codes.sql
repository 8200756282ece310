{% from '_text.sql' import norm_desc %}
-- Decode table for B_TblProceeding.DEC_CODE ('C' rows) and OTHER_COMP ('O' rows), keyed by
-- (case type, decision type, letter): the same letter means different things across these keys
-- (RMV X/C is "Remove" but X/O is "ZERO BOND"). Where a key has active and inactive rows, the active
-- row wins, then the newest id.

-- One row per normalised description: its class, whether it names a prosecutorial-discretion closure, and
-- the map's own spelling (the `decision` dimension, the same whatever dash or case a release writes).
CREATE OR REPLACE TEMP TABLE model_outcome_map AS
SELECT
    {{ norm_desc('description') }} AS description_key,
    outcome_class,
    bool_or(prosecutorial_discretion) AS prosecutorial_discretion,
    min(description) AS canonical_description
FROM model_outcome_map_raw
GROUP BY 1, 2;

CREATE OR REPLACE TEMP TABLE model_decision_codes AS
WITH ranked AS (
    SELECT
        upper(trim(strCaseType)) AS case_type,
        upper(trim(strDecType)) AS dec_type,
        upper(trim(strDecCode)) AS dec_code,
        trim(strDecDescription) AS description,
        row_number() OVER (
            PARTITION BY upper(trim(strCaseType)), upper(trim(strDecType)), upper(trim(strDecCode))
            ORDER BY CASE WHEN trim(blnActive) IN ('1', 'True', 'true') THEN 0 ELSE 1 END,
                     TRY_CAST(idnCourtDecision AS BIGINT) DESC NULLS LAST
        ) AS preference
    FROM src_tblLookupCourtDecision
    WHERE upper(trim(strDecType)) IN ('C', 'O') AND strDecCode IS NOT NULL
)
SELECT r.case_type, r.dec_type, r.dec_code, r.description, m.outcome_class
FROM ranked AS r
LEFT JOIN model_outcome_map AS m ON m.description_key = {{ norm_desc('r.description') }}
WHERE r.preference = 1;
