{% from '_text.sql' import charge_key %}
-- Criminal-charge and aggravated-felony facts (METHODOLOGY.md "criminal_charge", "aggravated_felony").
-- Three rules, each a column of `cases`, so the option that picks one never rebuilds the model:
--   deciding_proceeding  B_TblProceeding.CRIM_IND / AGGRAVATE_FELON of the deciding proceeding;
--   any_proceeding       true if any proceeding of the case says so; false only if every proceeding
--                        says no; otherwise unknown (NULL);
--   charges              B_TblProceedCharges.CHARGE rows looked up in tbllookupCharges (criminal_flag,
--                        aggravate_felon): true if any charge's row says so; false only if the case has
--                        charges and every one is in the lookup with a no; otherwise unknown.
-- CRIM_IND is Y/N; anything else (empty, shifted court codes such as 'LOS') is unknown. AGGRAVATE_FELON is
-- a bit (ingest reads 1/0); a 'Y'/'N' that ingest set aside as bad_bool is read back from `_issues`.
-- CHG_STATUS is not used: a withdrawn or not-sustained charge still says what DHS charged.
-- Charge codes are compared case-insensitively with runs of spaces folded ('212a07Ai  I' = '212A07AI I'):
-- no two codes of a 2025 tbllookupCharges differ only so.

CREATE OR REPLACE TEMP TABLE model_proceeding_flags_{{ key }} AS
WITH raw AS (
    SELECT
        IDNPROCEEDING AS idnproceeding,
        IDNCASE AS idncase,
        CASE upper(trim(CRIM_IND)) WHEN 'Y' THEN true WHEN 'N' THEN false END AS crim_ind,
        coalesce(
            AGGRAVATE_FELON,
            -- the first AGGRAVATE_FELON entry's raw text, as ingest writes it (ingest/table.py)
            CASE upper(trim(regexp_extract(
                _issues, '"column":"AGGRAVATE_FELON","kind":"[a-z_]+","raw":"([^"]*)"', 1
            )))
                WHEN 'Y' THEN true WHEN 'N' THEN false
            END
        ) AS aggravate_felon
    FROM src_B_TblProceeding
    WHERE IDNCASE IS NOT NULL AND IDNPROCEEDING IS NOT NULL
)
-- A duplicated IDNPROCEEDING (a defect) must not duplicate its case: any row saying yes wins.
SELECT idnproceeding, min(idncase) AS idncase, bool_or(crim_ind) AS crim_ind,
       bool_or(aggravate_felon) AS aggravate_felon
FROM raw
GROUP BY idnproceeding;

CREATE OR REPLACE TEMP TABLE model_charge_codes_{{ key }} AS
SELECT code, criminal, aggravated FROM (
    SELECT
        {{ charge_key('strCode') }} AS code,
        CASE WHEN upper(trim(criminal_flag)) IN ('1', 'TRUE', 'Y', 'YES') THEN true
             WHEN upper(trim(criminal_flag)) IN ('0', 'FALSE', 'N', 'NO') THEN false END AS criminal,
        CASE WHEN upper(trim(aggravate_felon)) IN ('1', 'TRUE', 'Y', 'YES') THEN true
             WHEN upper(trim(aggravate_felon)) IN ('0', 'FALSE', 'N', 'NO') THEN false END AS aggravated,
        row_number() OVER (
            PARTITION BY {{ charge_key('strCode') }}
            ORDER BY CASE WHEN trim(blnActive) IN ('1', 'True', 'true') THEN 0 ELSE 1 END,
                     TRY_CAST(idnCharges AS BIGINT) DESC NULLS LAST
        ) AS preference
    FROM src_tbllookupCharges
    WHERE strCode IS NOT NULL AND trim(strCode) <> ''
)
WHERE preference = 1;

CREATE OR REPLACE TEMP TABLE model_case_flags_{{ key }} AS
WITH by_proceeding AS (
    SELECT
        idncase,
        CASE WHEN bool_or(crim_ind) THEN true WHEN bool_and(crim_ind IS NOT NULL) THEN false END AS crim_ind_any,
        CASE WHEN bool_or(aggravate_felon) THEN true
             WHEN bool_and(aggravate_felon IS NOT NULL) THEN false END AS aggravate_felon_any
    FROM model_proceeding_flags_{{ key }}
    GROUP BY idncase
),
charges AS (
    SELECT
        coalesce(ch.IDNCASE, pf.idncase) AS idncase,
        CASE WHEN bool_or(cc.criminal) THEN true WHEN bool_and(cc.criminal IS NOT NULL) THEN false END
            AS criminal_charge,
        CASE WHEN bool_or(cc.aggravated) THEN true WHEN bool_and(cc.aggravated IS NOT NULL) THEN false END
            AS aggravated_charge
    FROM src_B_TblProceedCharges AS ch
    LEFT JOIN model_proceeding_flags_{{ key }} AS pf ON pf.idnproceeding = ch.IDNPROCEEDING
    LEFT JOIN model_charge_codes_{{ key }} AS cc ON cc.code = {{ charge_key('ch.CHARGE') }}
    WHERE coalesce(ch.IDNCASE, pf.idncase) IS NOT NULL
    GROUP BY 1
)
SELECT
    coalesce(p.idncase, c.idncase) AS idncase,
    p.crim_ind_any,
    p.aggravate_felon_any,
    c.criminal_charge,
    c.aggravated_charge
FROM by_proceeding AS p
FULL OUTER JOIN charges AS c ON c.idncase = p.idncase;
