-- Case-level asylum facts from tbl_Court_Appln (OUTCOMES.md section 4).
-- asylum_case: any application whose APPL_CODE is one of the asylum_codes option.
-- asylum_decision: the case's last decided ASYL application (proceedings in completion order, then
-- receipt date and id): granted (G F C I P L), denied (D) or other (A abandoned, W withdrawn, O other).
CREATE OR REPLACE TEMP TABLE model_asylum_{{ key }} AS
WITH apps AS (
    SELECT
        a.IDNCASE AS idncase,
        upper(trim(a.APPL_CODE)) AS appl_code,
        CASE
            WHEN upper(trim(a.APPL_DEC)) IN ('G', 'F', 'C', 'I', 'P', 'L') THEN 'granted'
            WHEN upper(trim(a.APPL_DEC)) = 'D' THEN 'denied'
            WHEN upper(trim(a.APPL_DEC)) IN ('A', 'W', 'O') THEN 'other'
        END AS decision,
        p.comp_date,
        a.IDNPROCEEDING AS idnproceeding,
        a.APPL_RECD_DATE AS received,
        a.IDNPROCEEDINGAPPLN AS idnappln
    FROM src_tbl_Court_Appln AS a
    LEFT JOIN model_proceedings_{{ key }} AS p ON p.idnproceeding = a.IDNPROCEEDING
    WHERE a.IDNCASE IS NOT NULL
),
last_decision AS (
    SELECT idncase, decision FROM (
        SELECT
            idncase,
            decision,
            row_number() OVER (
                PARTITION BY idncase
                ORDER BY comp_date DESC NULLS FIRST, idnproceeding DESC, received DESC NULLS FIRST, idnappln DESC
            ) AS recency
        FROM apps
        WHERE appl_code = 'ASYL' AND decision IS NOT NULL
    )
    WHERE recency = 1
)
SELECT
    apps.idncase,
    -- a join, not `IN (SELECT ...)`: Spark SQL takes no subquery inside an aggregate
    bool_or(codes.code IS NOT NULL) AS asylum_case,
    bool_or(apps.appl_code = 'ASYL' AND apps.decision = 'granted') AS asylum_granted_any,
    any_value(last_decision.decision) AS asylum_decision
FROM apps
LEFT JOIN last_decision ON last_decision.idncase = apps.idncase
LEFT JOIN model_asylum_codes_{{ key }} AS codes ON codes.code = apps.appl_code
GROUP BY apps.idncase;
