{#- Cases whose numbers a defect of the release could have changed (issue 9), one row per case and reason.
    issue(kinds, columns) is build.issue_condition, reasons build.DEFECT_REASONS (as SQL literals): a cell of `columns` has an `_issues` entry of `kinds`.
    scope 'case' reasons leave a case out of every metric; scope 'application' ones out of the asylum metrics
    (metrics/integrity.py applies option defective_cases). Issue patterns follow ingest's `_issues` JSON:
    {"column":"<name>","kind":"<kind>",...}. -#}
CREATE OR REPLACE TEMP TABLE model_integrity_{{ key }} AS
SELECT DISTINCT idncase, scope, reason FROM (
    SELECT idncase, 'case' AS scope,
        CASE "table"
            WHEN 'A_TblCase' THEN {{ reasons.quarantined_case }}
            ELSE {{ reasons.quarantined_proceeding }}
        END AS reason
    FROM src__quarantine
    WHERE idncase IS NOT NULL AND "table" IN ('A_TblCase', 'B_TblProceeding')
    UNION ALL
    SELECT idncase, 'application', {{ reasons.quarantined_application }}
    FROM src__quarantine
    WHERE idncase IS NOT NULL AND "table" = 'tbl_Court_Appln'
    UNION ALL
    SELECT IDNCASE, 'case',
        CASE
            WHEN {{ issue(['implausible_date'], proceeding_columns) }} THEN {{ reasons.implausible_proceeding }}
            WHEN {{ issue(['short_row'], proceeding_columns) }} THEN {{ reasons.short_proceeding }}
            ELSE {{ reasons.unparseable_proceeding }}
        END
    FROM src_B_TblProceeding
    WHERE IDNCASE IS NOT NULL AND _issues IS NOT NULL
        AND {{ issue(['implausible_date', 'short_row', 'bad_date', 'bad_number'], proceeding_columns) }}
    UNION ALL
    SELECT IDNCASE, 'application',
        CASE
            WHEN {{ issue(['implausible_date'], application_columns) }} THEN {{ reasons.implausible_application }}
            WHEN {{ issue(['short_row'], application_columns) }} THEN {{ reasons.short_application }}
            ELSE {{ reasons.unparseable_application }}
        END
    FROM src_tbl_Court_Appln
    WHERE IDNCASE IS NOT NULL AND _issues IS NOT NULL
        AND {{ issue(['implausible_date', 'short_row', 'bad_date', 'bad_number'], application_columns) }}
);

-- Per case: the first reason of each scope (the full list stays in model_integrity_<key>).
CREATE OR REPLACE TEMP TABLE model_defects_{{ key }} AS
SELECT
    idncase,
    min(reason) FILTER (WHERE scope = 'case') AS defect,
    min(reason) FILTER (WHERE scope = 'application') AS application_defect
FROM model_integrity_{{ key }}
GROUP BY idncase;
