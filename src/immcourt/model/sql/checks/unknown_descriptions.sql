-- Decision descriptions used by at least one proceeding that the outcome map does not know.
WITH used AS (
    SELECT
        coalesce(nullif(upper(trim(p.CASE_TYPE)), ''), upper(trim(c.CASE_TYPE))) AS case_type,
        nullif(upper(trim(p.DEC_CODE)), '') AS dec_code,
        nullif(upper(trim(p.OTHER_COMP)), '') AS other_comp
    FROM src_B_TblProceeding AS p
    LEFT JOIN src_A_TblCase AS c ON c.IDNCASE = p.IDNCASE
),
hits AS (
    SELECT d.description, d.case_type, d.dec_type, d.dec_code
    FROM used AS u
    JOIN model_decision_codes AS d
        ON d.case_type = u.case_type
        AND ((d.dec_type = 'C' AND d.dec_code = u.dec_code) OR (d.dec_type = 'O' AND d.dec_code = u.other_comp))
    WHERE d.outcome_class IS NULL
)
-- One row per description and code (build.py lists the codes of a description).
SELECT
    description,
    case_type || ' ' || dec_code || '/' || dec_type AS code,
    count(*) AS proceedings
FROM hits
GROUP BY description, case_type || ' ' || dec_code || '/' || dec_type
ORDER BY description, code;
